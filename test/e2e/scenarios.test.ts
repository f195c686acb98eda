import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

// Chainsaw's own scenarios example, with a ConfigMap each run writes so the run shows in the cluster's
// answer too: a scenario's bindings come before the test's, and $test.scenarioId counts from 1.
const chainsawTest = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: scenarios
spec:
  scenarios:
    - bindings:
        - name: message
          value: hello
    - bindings:
        - name: message
          value: goodbye
  bindings:
    - name: shout
      value: (join('', [$message, '!']))
    - name: cm
      value: (join('-', ['scenario', to_string($test.scenarioId)]))
  steps:
    - try:
        - script:
            env:
              - name: message
                value: ($message)
            content: echo $message
            check:
              (trim_space($stdout)): ((to_number($test.scenarioId) == \`1\` && 'hello') || 'goodbye')
        - apply:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: ($cm)
              data:
                shout: ($shout)
        - assert:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata: { name: ($cm) }
              data:
                shout: ((to_number($test.scenarioId) == \`1\` && 'hello!') || 'goodbye!')
`;

test("scenarios run the test once each, with the scenario's bindings and $test.scenarioId", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const root = mkdtempSync(join(tmpdir(), "kp-e2e-scenarios-"));
  mkdirSync(join(root, "scenarios"));
  writeFileSync(join(root, "scenarios", "chainsaw-test.yaml"), chainsawTest);
  const result = await runCli(
    [
      "test",
      "scenarios",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "json",
      "--report-dir",
      join(root, "report"),
    ],
    { cwd: root },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(readFileSync(join(root, "report", "report.json"), "utf8")) as {
    results: { tests: { status: string; extra: { id: string } }[] };
  };
  assert.deepEqual(
    report.results.tests.map((r) => [r.extra.id, r.status]),
    [
      ["scenarios/chainsaw-test.yaml::scenarios", "passed"],
      ["scenarios/chainsaw-test.yaml::scenarios#2", "passed"],
    ],
  );
});
