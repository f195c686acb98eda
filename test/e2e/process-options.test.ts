import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

test("forceTerminationGracePeriod is set on the pods of what apply and create write", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const result = await runCli(["test", "grace-period", "--kubeconfig", kubeconfig, "--reporter", "line"], {
    cwd: fixtures,
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test("skipLogOutput and skipCommandOutput keep a script's output and command line out of every report", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    [
      "test",
      "skip-output",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "list,json,junit",
      "--report-dir",
      reportDir,
    ],
    { cwd: fixtures },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /script: exit status 3/);
  const reports = [
    result.stdout,
    result.stderr,
    await readFile(join(reportDir, "report.json"), "utf8"),
    await readFile(join(reportDir, "junit.xml"), "utf8"),
  ];
  for (const text of reports) {
    assert.doesNotMatch(text, /kp-hidden/);
  }
});
