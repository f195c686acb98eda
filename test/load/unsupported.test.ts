import assert from "node:assert/strict";
import { test } from "node:test";
import { loadChainsawText } from "../../src/load/chainsaw.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";

test("the proxy operation is refused by name, with one message", () => {
  const text = [
    "apiVersion: chainsaw.kyverno.io/v1alpha1",
    "kind: Test",
    "metadata:",
    "  name: newer",
    "spec:",
    "  steps:",
    "    - try:",
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
          "t/chainsaw-test.yaml:8:11: spec.steps[0].try[0].proxy: the proxy operation is not supported by kubeproof yet",
        ],
      );
      return true;
    },
  );
});

test("a skipped test that uses unsupported features loads as skipped; other errors in it still count", () => {
  const doc = (skip: boolean, extra = ""): string =>
    [
      "apiVersion: chainsaw.kyverno.io/v1alpha1",
      "kind: Test",
      "metadata:",
      "  name: later",
      "spec:",
      `  skip: ${skip}`,
      "  steps:",
      "    - try:",
      "        - proxy: { apiVersion: v1, kind: Service, name: x }",
      extra,
      "",
    ].join("\n");
  const [test] = loadChainsawText(doc(true), "/work/t/chainsaw-test.yaml", { rootDir: "/work" });
  assert.deepEqual(
    { name: test?.name, skip: test?.skip, steps: test?.steps.length },
    { name: "later", skip: true, steps: 0 },
  );
  assert.throws(
    () => loadChainsawText(doc(false), "/work/t/chainsaw-test.yaml", { rootDir: "/work" }),
    LoadErrors,
  );
  assert.throws(
    () =>
      loadChainsawText(doc(true, "        - aply: {}"), "/work/t/chainsaw-test.yaml", { rootDir: "/work" }),
    /unknown field "aply"/,
  );
});
