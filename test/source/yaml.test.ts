import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { parseYaml, parseYamlDocuments, subDocument } from "../../src/source/yaml.ts";

const TEXT = `# leading comment
apiVersion: v1
kind: Test
spec:
  steps:
  - try:
    - apply:
        file: a.yaml
    - assert:
        resource:
          ($cm):
            a: 1
base: &base
  x: 1
merged:
  <<: *base
  y: 2
---
# a document holding only a comment is skipped
---
second: true
`;

describe("parseYamlDocuments", () => {
  const { documents, errors } = parseYamlDocuments(TEXT, "dir/t.yaml");

  it("returns every non-empty document with its value", () => {
    assert.deepEqual(errors, []);
    assert.equal(documents.length, 2);
    assert.deepEqual(documents[1]?.value, { second: true });
    assert.deepEqual((documents[0]?.value as Record<string, unknown>).merged, { x: 1, y: 2 });
  });

  it("locates a document at its first node, after comments", () => {
    assert.deepEqual(documents[0]?.location, { file: "dir/t.yaml", line: 2, col: 1 });
    assert.deepEqual(documents[1]?.location, { file: "dir/t.yaml", line: 21, col: 1 });
  });

  it("points map keys at the key and list items at the item", () => {
    const doc = documents[0];
    assert.ok(doc);
    assert.deepEqual(doc.locate(["spec", "steps", 0, "try", 0, "apply", "file"]), {
      file: "dir/t.yaml",
      line: 8,
      col: 9,
    });
    assert.deepEqual(doc.locate(["spec", "steps", 0]), { file: "dir/t.yaml", line: 6, col: 5 });
    assert.deepEqual(doc.locate(["spec", "steps", 0, "try", 1]), { file: "dir/t.yaml", line: 9, col: 7 });
    assert.deepEqual(doc.locate(["spec", "steps", 0, "try", 1, "assert", "resource", "($cm)", "a"]), {
      file: "dir/t.yaml",
      line: 12,
      col: 13,
    });
  });

  it("falls back to the nearest ancestor for paths that do not exist", () => {
    const doc = documents[0];
    assert.ok(doc);
    assert.deepEqual(doc.locate(["spec", "missing", "deeper"]), { file: "dir/t.yaml", line: 4, col: 1 });
    assert.deepEqual(doc.locate(["spec", "steps", 7]), { file: "dir/t.yaml", line: 5, col: 3 });
    assert.deepEqual(doc.locate([]), { file: "dir/t.yaml", line: 2, col: 1 });
  });

  it("follows merge keys to where the value is written", () => {
    assert.deepEqual(documents[0]?.locate(["merged", "x"]), { file: "dir/t.yaml", line: 14, col: 3 });
    assert.deepEqual(documents[0]?.locate(["merged", "y"]), { file: "dir/t.yaml", line: 17, col: 3 });
  });

  it("reports syntax errors with their position and keeps the valid documents", () => {
    const result = parseYamlDocuments("a: 1\n---\nb: [\n", "bad.yaml");
    assert.equal(result.documents.length, 1);
    assert.deepEqual(
      result.errors.map((e) => e.format()),
      [
        "bad.yaml:3:5: Flow sequence in block collection must be sufficiently indented and end with a ] — expected valid YAML",
      ],
    );
  });

  it("accepts duplicate keys with a warning, the last value winning, like Go's sigs.k8s.io/yaml", () => {
    const result = parseYamlDocuments("a: 1\nb: 2\na: 3\n", "dup.yaml");
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.documents[0]?.value, { a: 3, b: 2 });
    assert.deepEqual(result.documents[0]?.locate(["a"]).line, 3);
    assert.deepEqual(
      result.warnings.map((e) => e.format()),
      [
        `dup.yaml:3:1: duplicate key "a": this value replaces the one at line 1, as Go's YAML parsers do; remove one of the two keys`,
      ],
    );
  });

  it("returns nothing for empty input", () => {
    assert.deepEqual(parseYamlDocuments("", "e.yaml"), { documents: [], errors: [], warnings: [] });
    assert.deepEqual(parseYamlDocuments("# nothing\n", "e.yaml"), {
      documents: [],
      errors: [],
      warnings: [],
    });
  });
});

describe("parseYaml", () => {
  it("throws LoadErrors on syntax errors", () => {
    assert.throws(
      () => parseYaml("a: 'unclosed\n", "q.yaml"),
      (err: unknown) =>
        err instanceof LoadErrors &&
        err.message === "q.yaml:1:13: Missing closing 'quote — expected valid YAML",
    );
  });
});

describe("subDocument", () => {
  it("views part of a document with positions in the original file", () => {
    const [doc] = parseYaml(TEXT, "t.yaml");
    assert.ok(doc);
    const sub = subDocument(doc, ["spec", "steps", 0, "try", 1, "assert", "resource"]);
    assert.deepEqual(sub.value, { "($cm)": { a: 1 } });
    assert.deepEqual(sub.location, { file: "t.yaml", line: 10, col: 9 });
    assert.deepEqual(sub.locate(["($cm)", "a"]), { file: "t.yaml", line: 12, col: 13 });
  });
});
