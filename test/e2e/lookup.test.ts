import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

// Chainsaw's lookup example, with an output: the object found is `@` of the outputs, which later
// operations see; a lookup of an object that never exists fails at its timeout, naming it.
const chainsawTest = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: found
spec:
  steps:
    - try:
        - apply:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: quick-start
              data:
                foo: bar
        - lookup:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: quick-start
            outputs:
              - name: foo
                value: (@.data.foo)
        - assert:
            resource:
              ($foo): bar
---
apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: missing
spec:
  steps:
    - try:
        - lookup:
            timeout: 1s
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: never-there
`;

test("lookup waits for the objects it names and binds its outputs from the one found", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const root = mkdtempSync(join(tmpdir(), "kp-e2e-lookup-"));
  mkdirSync(join(root, "lookup"));
  writeFileSync(join(root, "lookup", "chainsaw-test.yaml"), chainsawTest);
  const result = await runCli(
    [
      "test",
      "lookup",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "json",
      "--report-dir",
      join(root, "report"),
    ],
    { cwd: root },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const report = JSON.parse(readFileSync(join(root, "report", "report.json"), "utf8")) as {
    results: { tests: { name: string; status: string; message?: string }[] };
  };
  const byName = new Map(report.results.tests.map((r) => [r.name, r]));
  assert.equal(byName.get("found")?.status, "passed", result.stdout + result.stderr);
  assert.equal(byName.get("missing")?.status, "failed");
  assert.match(
    byName.get("missing")?.message ?? "",
    /lookup: no ConfigMap kp-missing-\w+\/never-there exists \(after 1s\)/,
  );
});
