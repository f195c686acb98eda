import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { knownKeys, schemaAt } from "../../src/source/schema-kit.ts";
import {
  CHAINSAW_API_VERSION,
  dialectOf,
  KUBEPROOF_API_VERSION,
  testSchemaFor,
} from "../../src/config/test-schema.ts";

function doc(apiVersion: string, op: Record<string, unknown>): unknown {
  return { apiVersion, kind: "Test", metadata: { name: "t" }, spec: { steps: [{ try: [op] }] } };
}

function messages(result: { success: boolean; error?: { issues: { message: string }[] } }): string[] {
  return result.error?.issues.map((i) => i.message) ?? [];
}

describe("test schema", () => {
  it("maps apiVersions to dialects", () => {
    assert.equal(dialectOf(CHAINSAW_API_VERSION), "chainsaw");
    assert.equal(dialectOf(KUBEPROOF_API_VERSION), "kubeproof");
    assert.equal(dialectOf("chainsaw.kyverno.io/v1alpha2"), undefined);
  });

  it("converts durations to milliseconds", () => {
    const result = testSchemaFor("chainsaw").parse({
      apiVersion: CHAINSAW_API_VERSION,
      kind: "Test",
      spec: {
        timeouts: { apply: "1m30s", exec: "500ms" },
        steps: [{ try: [{ sleep: { duration: "2s" } }] }],
      },
    });
    assert.deepEqual(result.spec.timeouts, { apply: 90_000, exec: 500 });
    assert.equal(result.spec.steps[0]?.try?.[0]?.sleep?.duration, 2000);
  });

  it("accepts kubeproof assert extensions only under the kubeproof apiVersion", () => {
    const op = { assert: { resource: { a: 1 }, listMatch: "contains", mode: "consistently" } };
    assert.equal(testSchemaFor("kubeproof").safeParse(doc(KUBEPROOF_API_VERSION, op)).success, true);
    const chainsaw = testSchemaFor("chainsaw").safeParse(doc(CHAINSAW_API_VERSION, op));
    assert.deepEqual(messages(chainsaw), [
      '"listMatch" is a kubeproof extension and is not part of Chainsaw\'s format',
      '"mode" is a kubeproof extension and is not part of Chainsaw\'s format',
    ]);
  });

  it("rejects unknown extension values", () => {
    const op = { assert: { resource: { a: 1 }, listMatch: "unordered" } };
    assert.equal(testSchemaFor("kubeproof").safeParse(doc(KUBEPROOF_API_VERSION, op)).success, false);
  });

  it("is strict about unknown keys", () => {
    const result = testSchemaFor("chainsaw").safeParse(doc(CHAINSAW_API_VERSION, { apply: { fle: "x" } }));
    assert.equal(result.success, false);
    assert.equal(result.error?.issues[0]?.code, "unrecognized_keys");
  });

  it("requires exactly one action per operation and file xor resource", () => {
    const two = testSchemaFor("chainsaw").safeParse(
      doc(CHAINSAW_API_VERSION, { apply: { file: "a.yaml" }, assert: { file: "b.yaml" } }),
    );
    assert.deepEqual(messages(two), ["an operation has exactly one action, found apply and assert"]);
    const both = testSchemaFor("chainsaw").safeParse(
      doc(CHAINSAW_API_VERSION, { apply: { file: "a.yaml", resource: { kind: "X" } } }),
    );
    assert.deepEqual(messages(both), ["apply takes only one of file, resource, found file and resource"]);
    const none = testSchemaFor("chainsaw").safeParse(doc(CHAINSAW_API_VERSION, { delete: {} }));
    assert.deepEqual(messages(none), ["delete needs file or ref"]);
  });

  it("requires exactly one wait condition", () => {
    const wait = {
      wait: { apiVersion: "v1", kind: "Pod", for: { deletion: {}, condition: { name: "Ready" } } },
    };
    assert.deepEqual(messages(testSchemaFor("chainsaw").safeParse(doc(CHAINSAW_API_VERSION, wait))), [
      "wait.for takes only one of condition, creation, deletion, jsonPath, found condition and deletion",
    ]);
  });

  it("refuses a name and a selector together", () => {
    const get = { get: { apiVersion: "v1", kind: "Pod", name: "a", selector: "app=a" } };
    assert.deepEqual(messages(testSchemaFor("chainsaw").safeParse(doc(CHAINSAW_API_VERSION, get))), [
      "get takes a name or a selector, not both",
    ]);
  });

  it("lists accepted keys without the refused ones", () => {
    const root = testSchemaFor("chainsaw");
    assert.deepEqual(knownKeys(schemaAt(root, ["spec", "steps", 0, "try", 0, "apply"])), [
      "file",
      "resource",
      "template",
      "timeout",
      "bindings",
      "cluster",
      "clusters",
      "outputs",
      "dryRun",
      "expect",
      "modifiers",
    ]);
    const assertKeys = knownKeys(schemaAt(root, ["spec", "steps", 0, "try", 0, "assert"]));
    assert.equal(assertKeys.includes("listMatch"), false);
    const kubeproofAssert = knownKeys(
      schemaAt(testSchemaFor("kubeproof"), ["spec", "steps", 0, "try", 0, "assert"]),
    );
    assert.equal(kubeproofAssert.includes("listMatch"), true);
    assert.equal(knownKeys(schemaAt(root, ["spec"])).includes("cluster"), true);
    assert.equal(knownKeys(schemaAt(root, ["spec"])).includes("namespaceModifiers"), true);
  });
});
