import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { feedbackJsonSchema } from "../../../src/model/feedback.ts";

const SCHEMA_FILE = fileURLToPath(new URL("../../../docs/feedback-schema.json", import.meta.url));

describe("docs/feedback-schema.json", () => {
  it("is the JSON Schema of the feedback document (UPDATE_FEEDBACK_SCHEMA=1 rewrites it; then run prettier)", () => {
    const schema = feedbackJsonSchema();
    if (process.env.UPDATE_FEEDBACK_SCHEMA === "1")
      writeFileSync(SCHEMA_FILE, `${JSON.stringify(schema, null, 2)}\n`);
    assert.deepEqual(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")), schema);
  });

  it("describes the fields an automated coder needs", () => {
    const schema = feedbackJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    assert.deepEqual(schema.required, ["schemaVersion", "verdict", "tiers", "checks", "truncated"]);
    const text = JSON.stringify(schema);
    for (const field of [
      "firstBuildError",
      "failures",
      "logExcerpt",
      "omittedFailures",
      "timedOut",
      "exitCode",
    ]) {
      assert.ok(text.includes(`"${field}"`), field);
    }
    assert.ok(text.includes('"maxItems":20'));
  });
});
