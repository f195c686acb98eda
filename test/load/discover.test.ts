import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { Test } from "../../src/model/index.ts";
import { discover } from "../../src/load/discover.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import type { Loader } from "../../src/load/loader.ts";
import { FIXTURES, fixture } from "./fixtures.ts";

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof LoadErrors) return err.errors.map((e) => e.format());
    throw err;
  }
  assert.fail("expected LoadErrors");
}

describe("discover", () => {
  it("finds conventional and detected test files recursively, skipping dot-dirs and non-tests", () => {
    const suite = discover([fixture("discover")], { rootDir: FIXTURES });
    assert.equal(suite.rootDir, FIXTURES);
    assert.deepEqual(
      suite.tests.map((t) => [t.id, t.name]),
      [
        ["discover/a/chainsaw-test.yaml::smoke-a", "smoke-a"],
        ["discover/b/nested/deeper/suite.yaml::smoke-b1", "smoke-b1"],
        ["discover/b/nested/deeper/suite.yaml::slow-b2", "slow-b2"],
      ],
    );
  });

  it("accepts files and directories, and does not load a file twice", () => {
    const suite = discover([fixture("discover/b/nested/deeper/suite.yaml"), fixture("discover")], {
      rootDir: FIXTURES,
    });
    assert.deepEqual(
      suite.tests.map((t) => t.name),
      ["smoke-b1", "slow-b2", "smoke-a"],
    );
  });

  it("filters by name with include and exclude expressions", () => {
    const names = (options: { includeTestRegex?: string; excludeTestRegex?: string }) =>
      discover([fixture("discover")], { rootDir: FIXTURES, ...options }).tests.map((t) => t.name);
    assert.deepEqual(names({ includeTestRegex: "^smoke-" }), ["smoke-a", "smoke-b1"]);
    assert.deepEqual(names({ excludeTestRegex: "b" }), ["smoke-a"]);
  });

  it("uses the configured test file name as a convention", () => {
    assert.deepEqual(discover([fixture("discover-custom")], { rootDir: FIXTURES }).tests, []);
    assert.deepEqual(
      errorsOf(() => discover([fixture("discover-custom")], { rootDir: FIXTURES, testFile: "e2e" })),
      ['discover-custom/e2e.yaml:2:1: unexpected kind "ConfigMap" in a test file — expected kind: Test'],
    );
  });

  it("collects the errors of every file before failing", () => {
    assert.deepEqual(
      errorsOf(() => discover([fixture("discover-errors")], { rootDir: FIXTURES })),
      [
        'discover-errors/one/chainsaw-test.yaml:6:7: spec.steps[0].try[0]: unknown field "aply" — expected one of apply, assert, command, create, delete, describe, error, events, get, lookup, …; did you mean "apply"?',
        'discover-errors/two/chainsaw-test.yaml:7:9: spec.steps[0].try[0].apply: file "missing.yaml" not found — expected a path relative to discover-errors/two/',
      ],
    );
  });

  it("reports missing paths and explicit files that are not tests", () => {
    assert.deepEqual(
      errorsOf(() =>
        discover([fixture("nope"), fixture("discover/b/README.md"), fixture("discover/a/configmap.yaml")], {
          rootDir: FIXTURES,
        }),
      ),
      [
        'discover/a/configmap.yaml:2:1: unexpected kind "ConfigMap" in a test file — expected kind: Test',
        "discover/b/README.md: not a test file — expected a YAML file with kind: Test",
        "nope: no such file or directory",
      ],
    );
  });

  describe("in a scratch tree", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeproof-discover-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const test = (name: string) =>
      `apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  name: ${name}\nspec:\n  steps: []\n`;
    mkdirSync(join(dir, "node_modules", "pkg"), { recursive: true });
    writeFileSync(join(dir, "node_modules", "pkg", "chainsaw-test.yaml"), test("from-node-modules"));
    mkdirSync(join(dir, "suite"), { recursive: true });
    writeFileSync(join(dir, "suite", "chainsaw-test.yaml"), test("kept"));
    mkdirSync(join(dir, "kuttl-style", "01-step"), { recursive: true });

    it("skips node_modules and gives ids relative to the root", () => {
      const suite = discover([dir], { rootDir: dir });
      assert.deepEqual(
        suite.tests.map((t) => [t.id, t.name]),
        [["suite/chainsaw-test.yaml::kept", "kept"]],
      );
    });

    it("hands directories to a loader that claims them (kuttl-style formats)", () => {
      const seen: string[] = [];
      const dirLoader: Loader = {
        name: "dir-format",
        detect: (path) => path.endsWith("kuttl-style"),
        load: (path): Test[] => {
          seen.push(path);
          return [];
        },
      };
      discover([dir], { rootDir: dir, loaders: [dirLoader] });
      assert.deepEqual(seen, [join(dir, "kuttl-style")]);
    });
  });
});
