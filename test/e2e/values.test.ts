import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

// A ConfigMap's data must be strings: a --set that typed 01 as the number 1 fails the apply.
const chainsawTest = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: values
spec:
  steps:
    - try:
        - apply:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: values
              data:
                tag: ($values.image.tag)
                env: ($values.env)
                replicas: ($values.replicas)
        - assert:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata: { name: values }
              data: { tag: "01", env: poc, replicas: "3" }
`;

test("--values, --set and --set-string give $values as Chainsaw's own CI passes them", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const root = mkdtempSync(join(tmpdir(), "kp-e2e-values-"));
  mkdirSync(join(root, "values"));
  writeFileSync(join(root, "values", "chainsaw-test.yaml"), chainsawTest);
  writeFileSync(join(root, "values.yaml"), "env: dev\n");
  const result = await runCli(
    [
      "test",
      "values",
      "--values",
      "./values.yaml",
      "--set",
      "env=poc",
      "--set",
      "image.tag=01",
      "--set-string",
      "replicas=3",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line",
      "--report-dir",
      join(root, "report"),
    ],
    { cwd: root },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
});
