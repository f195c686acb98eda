import assert from "node:assert/strict";
import { test } from "node:test";
import { loadChainsawText } from "../../src/load/chainsaw.ts";
import { LoadErrors } from "../../src/load/errors.ts";

test("newer Chainsaw features are refused by name, with one message each and a way forward", () => {
  const text = [
    "apiVersion: chainsaw.kyverno.io/v1alpha1",
    "kind: Test",
    "metadata:",
    "  name: newer",
    "spec:",
    "  namespaceModifiers: []",
    "  steps:",
    "    - try:",
    "        - lookup:",
    "            name: x",
    "        - apply:",
    "            modifiers: []",
    "            resource: { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }",
    "        - proxy: {}",
    "",
  ].join("\n");
  assert.throws(
    () => loadChainsawText(text, "/work/t/chainsaw-test.yaml", { rootDir: "/work" }),
    (error: unknown) => {
      assert.ok(error instanceof LoadErrors);
      assert.deepEqual(
        error.errors.map((e) => e.format()),
        [
          "t/chainsaw-test.yaml:6:3: spec.namespaceModifiers: namespaceModifiers are not supported by kubeproof yet; use namespaceTemplate to shape the test namespace",
          "t/chainsaw-test.yaml:9:11: spec.steps[0].try[0].lookup: the lookup operation is not supported by kubeproof yet; read objects in an expression with x_k8s_get / x_k8s_list instead",
          "t/chainsaw-test.yaml:12:13: spec.steps[0].try[1].apply.modifiers: modifiers are not supported by kubeproof yet; template the resource with ( ) expressions and bindings instead",
          "t/chainsaw-test.yaml:14:11: spec.steps[0].try[2].proxy: the proxy operation is not supported by kubeproof yet",
        ],
      );
      return true;
    },
  );
});
