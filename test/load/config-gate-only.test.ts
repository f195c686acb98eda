import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultConfig } from "../../src/config/config-schema.ts";
import { loadConfigText } from "../../src/load/config.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";

describe("a kubeproof.yaml holding only gate:", () => {
  it("gives the tests the default configuration (a gate check may run kubeproof test in its repository)", () => {
    const config = loadConfigText("gate:\n  tiers: []\n", "/repo/kubeproof.yaml", "/repo");
    assert.deepEqual(config, { ...defaultConfig(), file: "kubeproof.yaml" });
  });

  it("is not a way around the header for anything else", () => {
    assert.throws(
      () => loadConfigText("gate: {}\ntimeouts: {}\n", "/repo/kubeproof.yaml", "/repo"),
      (error: unknown) =>
        error instanceof LoadErrors && /missing required field "kind"/.test(error.errors[0]?.format() ?? ""),
    );
  });
});
