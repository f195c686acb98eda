import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

// Two tests whose namespaceTemplate names the same namespace, one after the other (as Chainsaw's
// namespace-template and namespace-modifiers examples both name `foo`): the second must get a
// namespace of its own, not the first one's while it terminates.
const chainsawTest = (name: string, namespace: string): string => `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: ${name}
spec:
  namespaceTemplate:
    metadata:
      name: ${namespace}
      annotations:
        written-by: ${name}
  steps:
    - try:
        - apply:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: mine
              data:
                by: ${name}
        - sleep:
            duration: 2s
        - assert:
            resource:
              apiVersion: v1
              kind: Namespace
              metadata:
                name: ${namespace}
                annotations:
                  written-by: ${name}
        - assert:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: mine
              data:
                by: ${name}
`;

test("a templated namespace still terminating from the previous test is waited for, then created afresh", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const root = mkdtempSync(join(tmpdir(), "kp-e2e-ns-terminating-"));
  const namespace = `kp-shared-${randomBytes(3).toString("hex")}`;
  for (const name of ["first", "second"]) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, "chainsaw-test.yaml"), chainsawTest(name, namespace));
  }
  const result = await runCli(["test", "first", "second", "--kubeconfig", kubeconfig, "--workers", "1"], {
    cwd: root,
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout + result.stderr, /2 passed/);
});
