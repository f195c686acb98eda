/**
 * Fields and forms of real Chainsaw and kuttl suites that kubeproof used to refuse (issue 13), each
 * pinned by a minimal case of our own. What they do at run time is tested in test/e2e/compat.test.ts.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { loadChainsawFile, loadChainsawText } from "../../src/load/chainsaw.ts";
import type { ScriptOperation, Test, WaitOperation } from "../../src/model/index.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { context, fixture } from "./fixtures.ts";

const e2e = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

function loadE2e(rel: string): Test[] {
  return loadChainsawFile(`${e2e}${rel}`, context({ rootDir: e2e }));
}

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof LoadErrors) return error.errors.map((e) => e.format());
    throw error;
  }
  assert.fail("expected load errors");
}

describe("Chainsaw fields of real suites", () => {
  it("accepts ObjectMeta in a test's metadata, creationTimestamp: null included", () => {
    const [test] = loadE2e("compat-fields/chainsaw-test.yaml");
    assert.equal(test?.name, "compat-fields");
    const text = [
      "apiVersion: chainsaw.kyverno.io/v1alpha1",
      "kind: Test",
      "metadata:",
      "  creationTimestamp: null",
      "  name: meta",
      "  labels: null",
      "  uid: 6b3c7f4e",
      "  finalizers: [a]",
      "spec:",
      "  steps:",
      "  - try:",
      "    - sleep: {duration: 1s}",
    ].join("\n");
    const [loaded] = loadChainsawText(text, fixture("compat/meta.yaml"), context());
    assert.deepEqual([loaded?.name, loaded?.labels], ["meta", {}]);
  });

  it("still refuses a misspelt metadata field", () => {
    const text = "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  nmae: x\nspec:\n  steps: []\n";
    const errors = errorsOf(() => loadChainsawText(text, fixture("compat/typo.yaml"), context()));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /^compat\/typo\.yaml:4:3: metadata: unknown field "nmae"/);
  });

  it("accepts fastNamespaceDeletion, wait.for.creation, env names as expressions, a binding named namespace", () => {
    const [test] = loadE2e("compat-fields/chainsaw-test.yaml");
    const [first, second] = test?.steps ?? [];
    const wait = first?.try[1] as WaitOperation;
    assert.deepEqual([wait.type, wait.for], ["wait", { creation: true }]);
    assert.deepEqual(second?.bindings, [{ name: "namespace", value: "overridden" }]);
    const script = second?.try[0] as ScriptOperation;
    assert.deepEqual(script.env, [{ name: "($variable)", value: "($namespace)" }]);
  });
});
