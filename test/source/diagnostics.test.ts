import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  errorAt,
  formatLoadError,
  formatPath,
  LoadError,
  LoadErrors,
  sortErrors,
} from "../../src/source/diagnostics.ts";
import { parseYaml } from "../../src/source/yaml.ts";

describe("LoadError", () => {
  it("formats file:line:col, path, message, expectation and hint", () => {
    const e = new LoadError({
      file: "tests/foo/chainsaw-test.yaml",
      line: 12,
      col: 7,
      path: "spec.steps[0].try[1].apply",
      message: 'unknown field "fle"',
      expected: "one of file, resource, …",
      hint: 'did you mean "file"?',
    });
    const text =
      'tests/foo/chainsaw-test.yaml:12:7: spec.steps[0].try[1].apply: unknown field "fle" — expected one of file, resource, …; did you mean "file"?';
    assert.equal(e.format(), text);
    assert.equal(formatLoadError(e), text);
    assert.equal(String(e), text);
    assert.equal(e.message, 'unknown field "fle"');
    assert.deepEqual(e.location, { file: "tests/foo/chainsaw-test.yaml", line: 12, col: 7 });
  });

  it("leaves out what it does not know", () => {
    assert.equal(
      new LoadError({ file: "a.yaml", line: 1, col: 2, message: "bad" }).format(),
      "a.yaml:1:2: bad",
    );
    assert.equal(
      new LoadError({ file: "missing/dir", line: 0, col: 0, message: "no such file or directory" }).format(),
      "missing/dir: no such file or directory",
    );
    assert.equal(new LoadError({ file: "a.yaml", line: 1, col: 1, path: "", message: "m" }).path, undefined);
  });
});

describe("LoadErrors", () => {
  it("carries every error and prints one per line", () => {
    const errors = [
      new LoadError({ file: "a.yaml", line: 1, col: 1, message: "first" }),
      new LoadError({ file: "b.yaml", line: 2, col: 3, message: "second" }),
    ];
    const all = new LoadErrors(errors);
    assert.equal(all.errors.length, 2);
    assert.equal(all.message, "a.yaml:1:1: first\nb.yaml:2:3: second");
    assert.ok(all instanceof Error);
  });
});

describe("formatPath", () => {
  it("joins keys with dots and indexes with brackets", () => {
    assert.equal(formatPath(["spec", "steps", 0, "try", 1, "apply"]), "spec.steps[0].try[1].apply");
    assert.equal(formatPath([]), "");
    assert.equal(formatPath(["resource", "($cm)", "a"]), 'resource["($cm)"].a');
  });
});

describe("errorAt", () => {
  it("positions an error at a path of a document", () => {
    const [doc] = parseYaml("spec:\n  steps:\n  - try: []\n", "t.yaml");
    assert.ok(doc);
    const e = errorAt(doc, ["spec", "steps", 0, "try"], { message: "empty", hint: "add an operation" });
    assert.equal(e.format(), "t.yaml:3:5: spec.steps[0].try: empty; add an operation");
  });
});

describe("sortErrors", () => {
  it("orders by file and position and drops duplicates", () => {
    const e = (file: string, line: number, col: number) => new LoadError({ file, line, col, message: "x" });
    const sorted = sortErrors([e("b", 1, 1), e("a", 9, 1), e("a", 2, 5), e("a", 2, 5), e("a", 2, 1)]);
    assert.deepEqual(
      sorted.map((x) => x.format()),
      ["a:2:1: x", "a:2:5: x", "a:9:1: x", "b:1:1: x"],
    );
  });
});
