import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LoadError } from "../../src/source/diagnostics.ts";
import { glob, loadFileReference } from "../../src/load/files.ts";
import { context, fixture } from "./fixtures.ts";

const DIR = fixture("files");

function ref(pattern: string, manifest = true) {
  const result = loadFileReference(
    {
      pattern,
      baseDir: DIR,
      manifest,
      errorAtRef: (detail) => new LoadError({ file: "t.yaml", line: 3, col: 9, ...detail }),
    },
    context(),
  );
  return {
    names: result.documents.map((d) => `${d.location.file}:${d.location.line}`),
    errors: result.errors.map((e) => e.format()),
  };
}

describe("glob", () => {
  it("matches within one path segment like Go's filepath.Glob, sorted", () => {
    assert.deepEqual(glob(`${DIR}/*.yaml`), [`${DIR}/empty.yaml`, `${DIR}/one.yaml`, `${DIR}/tree.yaml`]);
    assert.deepEqual(glob(`${DIR}/*.y*ml`), [
      `${DIR}/empty.yaml`,
      `${DIR}/one.yaml`,
      `${DIR}/tree.yaml`,
      `${DIR}/two.yml`,
    ]);
    assert.deepEqual(glob(`${DIR}/t[wx]o.yml`), [`${DIR}/two.yml`]);
    assert.deepEqual(glob(`${DIR}/t[^w]ee.yaml`), [`${DIR}/tree.yaml`]);
    assert.deepEqual(glob(`${DIR}/???.yaml`), [`${DIR}/one.yaml`]);
    assert.deepEqual(glob(`${DIR}/*/nested.yaml`), [`${DIR}/sub/nested.yaml`]);
    assert.deepEqual(glob(`${DIR}/*.json`), []);
  });
});

describe("loadFileReference", () => {
  it("loads a single file, a glob and a nested path", () => {
    assert.deepEqual(ref("one.yaml"), { names: ["files/one.yaml:1"], errors: [] });
    assert.deepEqual(ref("*.y*ml", false).names, [
      "files/one.yaml:1",
      "files/tree.yaml:1",
      "files/two.yml:1",
    ]);
    assert.deepEqual(ref("sub/nested.yaml").names, ["files/sub/nested.yaml:1"]);
  });

  it("allows bare assertion trees when not applying", () => {
    assert.deepEqual(ref("tree.yaml", false), { names: ["files/tree.yaml:1"], errors: [] });
    assert.deepEqual(ref("tree.yaml", true).errors, [
      "files/tree.yaml:1:1: resource has no apiVersion and no kind — expected a Kubernetes object with apiVersion and kind",
    ]);
  });

  it("explains what is missing", () => {
    assert.deepEqual(ref("one.yml").errors, [
      't.yaml:3:9: file "one.yml" not found — expected a path relative to files/; did you mean "one.yaml"?',
    ]);
    assert.deepEqual(ref("nowhere/one.yaml").errors, [
      't.yaml:3:9: file "nowhere/one.yaml" not found; directory files/nowhere does not exist',
    ]);
    assert.deepEqual(ref("*.json").errors, [
      't.yaml:3:9: no file matches "*.json" — expected matching files in files/',
    ]);
    assert.deepEqual(ref("empty.yaml").errors, [
      't.yaml:3:9: found no resource in "empty.yaml" — expected at least one YAML document',
    ]);
  });

  it("refuses what cannot be resolved before the run", () => {
    assert.deepEqual(ref("https://example.com/manifest.yaml").errors, [
      't.yaml:3:9: remote file "https://example.com/manifest.yaml" is not supported yet; download it next to the test and reference the local copy',
    ]);
    assert.deepEqual(ref("($file)").errors, [
      "t.yaml:3:9: a file path computed by an expression is not supported yet — expected a path relative to the test file",
    ]);
  });

  it("parses a file once per context", () => {
    const ctx = context();
    const load = () =>
      loadFileReference(
        {
          pattern: "one.yaml",
          baseDir: DIR,
          manifest: true,
          errorAtRef: (d) => new LoadError({ file: "t", line: 1, col: 1, ...d }),
        },
        ctx,
      ).documents[0];
    assert.equal(load(), load());
    assert.equal(ctx.cache?.size, 1);
  });
});
