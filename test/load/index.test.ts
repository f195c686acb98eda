import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadProject } from "../../src/load/index.ts";
import { FIXTURES, fixture } from "./fixtures.ts";

describe("loadProject", () => {
  it("applies the configuration's discovery settings to discovery", () => {
    const { config, suite } = loadProject([fixture("discover")], {
      configPath: fixture("config/kubeproof/kubeproof.yaml"),
      rootDir: FIXTURES,
    });
    assert.equal(config.discovery.includeTestRegex, "^smoke-");
    // includeTestRegex ^smoke- and excludeTestRegex slow leave the two smoke tests.
    assert.deepEqual(
      suite.tests.map((t) => t.name),
      ["smoke-a", "smoke-b1"],
    );
    // templating.enabled: false becomes the default of every operation that does not set it.
    assert.equal(suite.tests[0]?.steps[0]?.try[0]?.template, false);
  });
});
