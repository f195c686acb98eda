import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { configurationJsonSchema, testJsonSchema } from "../../src/editor/json-schema.ts";

const committed = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), "utf8")) as unknown;

describe("JSON Schema export", () => {
  it("matches the committed schema/test.schema.json", () => {
    assert.deepEqual(
      committed("test.schema.json"),
      testJsonSchema(),
      "run: node --import tsx scripts/export-schema.ts",
    );
  });

  it("matches the committed schema/configuration.schema.json", () => {
    assert.deepEqual(
      committed("configuration.schema.json"),
      configurationJsonSchema(),
      "run: node --import tsx scripts/export-schema.ts",
    );
  });

  it("describes test files of both dialects with named definitions", () => {
    const schema = testJsonSchema();
    const properties = schema.properties as Record<string, { enum?: string[] }>;
    assert.deepEqual(properties.apiVersion?.enum, ["chainsaw.kyverno.io/v1alpha1", "kubeproof.dev/v1alpha1"]);
    const defs = Object.keys(schema.$defs as Record<string, unknown>);
    for (const name of ["Step", "Operation", "CatchOperation", "Apply", "Assert", "Binding", "Timeouts"]) {
      assert.ok(defs.includes(name), name);
    }
  });

  it("leaves out fields that exist only to be refused", () => {
    const text = JSON.stringify(testJsonSchema());
    for (const key of ["proxy"]) {
      assert.equal(text.includes(`"${key}":`), false, key);
    }
    // Step templates, scenarios and multi-cluster fields are supported now: editors complete them.
    assert.equal(text.includes(`"use":`), true);
    assert.equal(text.includes(`"clusters":`), true);
    assert.equal(text.includes(`"scenarios":`), true);
    const duration = JSON.stringify(
      (testJsonSchema().$defs as Record<string, { properties: Record<string, unknown> }>).Sleep?.properties
        .duration,
    );
    assert.match(duration, /"type":"string"/);
    assert.match(duration, /"pattern"/);
  });
});
