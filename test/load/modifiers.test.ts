import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadChainsawText } from "../../src/load/chainsaw.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";

const load = (spec: string[]) =>
  loadChainsawText(
    [
      "apiVersion: chainsaw.kyverno.io/v1alpha1",
      "kind: Test",
      "metadata:",
      "  name: m",
      "spec:",
      ...spec,
      "",
    ].join("\n"),
    "/work/t/chainsaw-test.yaml",
    { rootDir: "/work" },
  );

// Chainsaw's `modifiers` and `namespaceModifiers` examples (testdata/e2e/examples/modifiers and
// namespace-modifiers), reduced: each modifier applies in order to the object before it is written.
describe("modifiers", () => {
  it("label, annotate and merge change an apply's object, in order, keeping its positions", () => {
    const [test] = load([
      "  steps:",
      "    - try:",
      "        - apply:",
      "            resource: { apiVersion: v1, kind: Namespace, metadata: { name: foo, labels: { kept: yes } } }",
      "            modifiers:",
      "              - label: { foo: bar }",
      "              - annotate: { foo: bar }",
      "              - merge: { metadata: { labels: { foo: merged, lorem: ipsum } } }",
    ]);
    const op = test?.steps[0]?.try[0];
    assert.ok(op?.type === "apply");
    const [doc] = op.resources;
    assert.deepEqual(doc?.value, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "foo",
        labels: { kept: "yes", foo: "merged", lorem: "ipsum" },
        annotations: { foo: "bar" },
      },
    });
    assert.equal(doc?.location.line, 9);
  });

  it("namespaceModifiers shape the test namespace, over namespaceTemplate", () => {
    const [test] = load([
      "  namespaceTemplate: { metadata: { annotations: { a: b } } }",
      "  namespaceModifiers:",
      "    - label: { foo: bar }",
      "    - merge: { metadata: { name: foo } }",
      "  steps:",
      "    - try:",
      "        - sleep: { duration: 1s }",
    ]);
    assert.deepEqual(test?.namespaceTemplate?.value, {
      metadata: { annotations: { a: "b" }, labels: { foo: "bar" }, name: "foo" },
    });
  });

  it("a modifier takes exactly one of label, annotate and merge", () => {
    assert.throws(
      () =>
        load([
          "  steps:",
          "    - try:",
          "        - apply:",
          "            resource: { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }",
          "            modifiers:",
          "              - { label: { a: b }, annotate: { a: b } }",
        ]),
      (error: unknown) =>
        error instanceof LoadErrors &&
        /chainsaw-test\.yaml:11:17: spec\.steps\[0\]\.try\[0\]\.apply\.modifiers\[0\]: a modifier takes only one of label, annotate, merge/.test(
          error.message,
        ),
    );
  });
});
