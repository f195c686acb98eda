import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadProject } from "../../src/load/index.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import type { Test } from "../../src/model/index.ts";
import { runCli } from "../support/cli.ts";
import { tempProject } from "../support/project.ts";

const suite = (extra: string): string => `apiVersion: kuttl.dev/v1beta1\nkind: TestSuite\n${extra}\n`;
const step = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n";
/** A kuttl test case: an apply step and its assert. */
const testCase = (dir: string): Record<string, string> => ({
  [`${dir}/00-create.yaml`]: step,
  [`${dir}/00-assert.yaml`]: step,
});

function names(tests: readonly Test[]): string[] {
  return tests.map((t) => t.id).sort();
}

/** The timeout of the test's first assert, in seconds: what the governing suite's `timeout` set. */
function assertTimeout(test: Test): number | undefined {
  const op = test.steps[0]?.try.find((o) => o.type === "assert");
  return op?.timeoutMs === undefined ? undefined : op.timeoutMs / 1000;
}

describe("kuttl suite files resolve their paths as kuttl does, from its working directory", () => {
  it("--config names the suite file; its testDirs are relative to the working directory", () => {
    const root = tempProject({
      "tests/kuttl/kuttl-test.yaml": suite("testDirs: [tests/kuttl/e2e]\ntimeout: 7"),
      ...testCase("tests/kuttl/e2e/first"),
    });
    const { suite: loaded } = loadProject([], { configPath: "tests/kuttl/kuttl-test.yaml", rootDir: root });
    assert.deepEqual(names(loaded.tests), ["tests/kuttl/e2e/first::first"]);
    assert.equal(assertTimeout(loaded.tests[0]), 7);
  });

  it("a suite file found below the working directory runs from there, or from its own folder", () => {
    const root = tempProject({
      // Written for `kubectl kuttl test --config tests/a/kuttl-test.yaml` from the repository root.
      "tests/a/kuttl-test.yaml": suite("testDirs: [tests/a/e2e]"),
      ...testCase("tests/a/e2e/from-root"),
      // Written for `cd tests/b && kubectl kuttl test`.
      "tests/b/kuttl-test.yaml": suite("testDirs: [./e2e]"),
      ...testCase("tests/b/e2e/from-folder"),
    });
    const { suite: loaded } = loadProject([], { rootDir: root });
    assert.deepEqual(names(loaded.tests), [
      "tests/a/e2e/from-root::from-root",
      "tests/b/e2e/from-folder::from-folder",
    ]);
  });

  it("the --config suite governs every kuttl test case named on the command line, and its set-up paths resolve from the working directory", () => {
    const root = tempProject({
      "ci/suite.yaml": suite("timeout: 9\nnamespace: shared\nmanifestDirs: [ci/manifests]"),
      "ci/manifests/cm.yaml": step,
      ...testCase("cases/one"),
    });
    const { suite: loaded } = loadProject(["cases"], { configPath: "ci/suite.yaml", rootDir: root });
    const [test] = loaded.tests;
    assert.ok(test);
    assert.deepEqual(
      {
        timeout: assertTimeout(test),
        namespace: test.namespace,
        manifests: test.setup?.manifests.length,
        base: test.setup?.baseDir,
      },
      { timeout: 9, namespace: "shared", manifests: 1, base: root },
    );
  });

  it("the working directory's kuttl-test.yaml governs test cases it does not list, as kuttl reads it for any arguments", () => {
    const root = tempProject({
      "kuttl-test.yaml": suite("testDirs: [e2e]\ntimeout: 11"),
      ...testCase("e2e/listed"),
      ...testCase("other/named"),
    });
    const { suite: loaded } = loadProject(["other"], { rootDir: root });
    assert.deepEqual(names(loaded.tests), ["other/named::named"]);
    assert.equal(assertTimeout(loaded.tests[0]), 11);
  });

  it("--config /dev/null means no suite file and no configuration: kuttl's defaults apply", () => {
    const root = tempProject({
      "kuttl-test.yaml": suite("testDirs: [e2e]\ntimeout: 5\nnamespace: fixed"),
      "kubeproof.yaml":
        "apiVersion: kubeproof.dev/v1alpha1\nkind: Configuration\nspec: { execution: { parallel: 3 } }\n",
      ...testCase("e2e/plain"),
    });
    const { config, suite: loaded } = loadProject(["e2e"], { configPath: "/dev/null", rootDir: root });
    const [test] = loaded.tests;
    assert.ok(test);
    assert.deepEqual(
      { file: config.file, timeout: assertTimeout(test), namespace: test.namespace },
      { file: undefined, timeout: 30, namespace: undefined },
    );
  });

  it("a testDirs entry missing from the working directory is an error at its position that says where it looked", () => {
    const root = tempProject({ "ci/suite.yaml": suite("testDirs:\n  - e2e") });
    assert.throws(
      () => loadProject([], { configPath: "ci/suite.yaml", rootDir: root }),
      (error: unknown) =>
        error instanceof LoadErrors &&
        /^ci\/suite\.yaml:4:5: testDirs\[0\]: test directory "e2e" not found — expected a directory relative to the working directory; kuttl resolves testDirs from the directory it runs in/.test(
          error.message,
        ),
    );
  });
});

describe("kubeproof test --config with kuttl suite files", () => {
  it("lists the tests of the suite file --config names, and none of another suite with --config /dev/null", async () => {
    const root = tempProject({
      "tests/kuttl-test.yaml": suite("testDirs: [tests/e2e]"),
      ...testCase("tests/e2e/web"),
      "kuttl-test.yaml": suite("testDirs: [nowhere]"),
    });
    const listed = await runCli(["test", "--list", "--config", "tests/kuttl-test.yaml"], { cwd: root });
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.stdout, "tests/e2e/web::web  tests/e2e/web/00-assert.yaml:1\n1 test(s)\n");
    // Without --config the working directory's suite file would be read, and its testDirs do not exist.
    const none = await runCli(["test", "--list", "--config", "/dev/null", "tests/e2e"], { cwd: root });
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout, "tests/e2e/web::web  tests/e2e/web/00-assert.yaml:1\n1 test(s)\n");
  });
});
