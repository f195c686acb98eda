import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

// An assert that never holds, with no timeout of its own: the run's assert class decides when it
// gives up, and KUBEPROOF_TIMEOUT_ASSERT sets that class from the environment.
const neverHolds = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: never
spec:
  steps:
    - try:
        - assert:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: never-there
`;

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "kp-e2e-timeouts-env-"));
  mkdirSync(join(root, "never"));
  writeFileSync(join(root, "never", "chainsaw-test.yaml"), neverHolds);
  return root;
}

test("KUBEPROOF_TIMEOUT_ASSERT sets the assert timeout of a run", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const root = project();
  const result = await runCli(
    ["test", "never", "--kubeconfig", kubeconfig, "--reporter", "json", "--report-dir", join(root, "report")],
    { cwd: root, env: { KUBEPROOF_TIMEOUT_ASSERT: "1s" } },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const report = JSON.parse(readFileSync(join(root, "report", "report.json"), "utf8")) as {
    results: { tests: { name: string; status: string; message?: string }[] };
  };
  const [never] = report.results.tests;
  assert.equal(never?.status, "failed");
  // The default assert timeout is 60s: 1s comes from the variable.
  assert.match(never.message ?? "", /never-there not found \(waited 1s\)/);
});

test("a KUBEPROOF_TIMEOUT_ variable that is not a duration is a usage error, and nothing runs", async () => {
  const root = project();
  const result = await runCli(["test", "never", "--kubeconfig", join(root, "no-such-kubeconfig")], {
    cwd: root,
    env: { KUBEPROOF_TIMEOUT_ASSERT: "soon" },
  });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    /KUBEPROOF_TIMEOUT_ASSERT: expected a duration such as 30s, 1m30s or 500ms, got "soon"/,
  );
});
