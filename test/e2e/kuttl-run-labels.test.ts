import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

/**
 * kuttl's test-case.yaml (kind TestCase) and --test-run-labels, against the cluster: a TestCase's
 * testRunSelector decides whether its test case runs, and a TestFile's whether its file is applied.
 */

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

interface CtrfTest {
  name: string;
  status: string;
  message?: string;
}

async function run(
  kubeconfig: string,
  labels: string[],
): Promise<{ code: number | null; tests: CtrfTest[] }> {
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  try {
    const result = await runCli(
      [
        "test",
        "kuttl-run-labels",
        "--kubeconfig",
        kubeconfig,
        "--reporter",
        "line,json",
        "--report-dir",
        reportDir,
        ...labels,
      ],
      { cwd: fixtures },
    );
    const parsed = JSON.parse(await readFile(join(reportDir, "report.json"), "utf8")) as {
      results: { tests: CtrfTest[] };
    };
    const tests = parsed.results.tests.sort((a, b) => a.name.localeCompare(b.name));
    return { code: result.code, tests };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

test("a TestCase's testRunSelector skips its test case unless --test-run-labels match it", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const unlabelled = await run(kubeconfig, []);
  assert.equal(unlabelled.code, 0);
  assert.deepEqual(
    unlabelled.tests.map((x) => [x.name, x.status, x.message]),
    [
      [
        "labelled",
        "skipped",
        "testRunSelector key=value (kuttl-run-labels/labelled/test-case.yaml) does not match this run (no --test-run-labels)",
      ],
      // A folder with a TestCase and no steps is a test case, and passes, as in kuttl.
      ["only-case", "passed", undefined],
    ],
  );
  const labelled = await run(kubeconfig, ["--test-run-labels", "key=value"]);
  assert.equal(labelled.code, 0);
  assert.deepEqual(
    labelled.tests.map((x) => [x.name, x.status]),
    [
      ["labelled", "passed"],
      ["only-case", "passed"],
    ],
  );
});

test("a TestFile's testRunSelector applies its file only in runs whose labels match", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  // With flavor=vanilla, 00-vanilla.yaml is applied after 00-install.yaml: the ConfigMap no longer
  // holds what 00-assert.yaml wants.
  const vanilla = await run(kubeconfig, ["--test-run-labels", "key=value,flavor=vanilla"]);
  assert.equal(vanilla.code, 1);
  assert.deepEqual(
    vanilla.tests.map((x) => [x.name, x.status]),
    [
      ["labelled", "failed"],
      ["only-case", "passed"],
    ],
  );
  assert.match(vanilla.tests[0]?.message ?? "", /flavor/);
});
