import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CONFIG_API_VERSIONS,
  configSchemas,
  DEFAULT_TIMEOUTS,
  defaultConfig,
  isConfigApiVersion,
} from "../../src/config/config-schema.ts";

describe("configuration schema", () => {
  it("has timeout defaults longer than Chainsaw's", () => {
    // Chainsaw: apply 5s, assert 30s, cleanup 30s, delete 15s, error 30s, exec 5s.
    const chainsaw = {
      apply: 5000,
      assert: 30_000,
      cleanup: 30_000,
      delete: 15_000,
      error: 30_000,
      exec: 5000,
    };
    for (const [key, ms] of Object.entries(chainsaw)) {
      assert.ok(DEFAULT_TIMEOUTS[key as keyof typeof DEFAULT_TIMEOUTS] >= ms, key);
    }
    assert.equal(DEFAULT_TIMEOUTS.apply, 30_000);
    assert.equal(DEFAULT_TIMEOUTS.exec, 30_000);
  });

  it("returns independent default objects", () => {
    const a = defaultConfig();
    const b = defaultConfig();
    a.timeouts.apply = 1;
    assert.equal(b.timeouts.apply, 30_000);
    assert.ok(b.execution.parallel >= 1);
    assert.deepEqual(b.report, { formats: [], name: "kubeproof-report", junitLevel: "test" });
    assert.equal(b.discovery.testFile, "chainsaw-test");
    assert.equal(b.templating.enabled, true);
    assert.equal(b.deletion.propagation, "Background");
  });

  it("knows the three accepted apiVersions", () => {
    assert.deepEqual(
      [...CONFIG_API_VERSIONS],
      ["kubeproof.dev/v1alpha1", "chainsaw.kyverno.io/v1alpha2", "chainsaw.kyverno.io/v1alpha1"],
    );
    assert.equal(isConfigApiVersion("chainsaw.kyverno.io/v1alpha2"), true);
    assert.equal(isConfigApiVersion("kubeproof.dev/v1"), false);
  });

  it("accepts an empty spec and a missing spec", () => {
    for (const apiVersion of CONFIG_API_VERSIONS) {
      const schema = configSchemas[apiVersion];
      assert.equal(schema.safeParse({ apiVersion, kind: "Configuration" }).success, true, apiVersion);
      assert.equal(
        schema.safeParse({ apiVersion, kind: "Configuration", spec: {} }).success,
        true,
        apiVersion,
      );
    }
  });

  it("takes a report format or a list of them in the kubeproof layout", () => {
    const schema = configSchemas["kubeproof.dev/v1alpha1"];
    const base = { apiVersion: "kubeproof.dev/v1alpha1", kind: "Configuration" } as const;
    assert.equal(schema.safeParse({ ...base, spec: { report: { format: "junit" } } }).success, true);
    assert.equal(
      schema.safeParse({ ...base, spec: { report: { format: ["junit", "html"] } } }).success,
      true,
    );
    assert.equal(schema.safeParse({ ...base, spec: { report: { format: "JUNIT-TEST" } } }).success, false);
  });

  it("keeps the gate section opaque", () => {
    const schema = configSchemas["kubeproof.dev/v1alpha1"];
    const gate = { anything: [1, { goes: true }] };
    const parsed = schema.parse({
      apiVersion: "kubeproof.dev/v1alpha1",
      kind: "Configuration",
      spec: { gate },
    });
    assert.deepEqual(parsed.spec?.gate, gate);
  });
});
