import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parse, stringify } from "yaml";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

interface Named {
  name: string;
  [key: string]: unknown;
}
interface Kubeconfig {
  clusters: (Named & { cluster: { server: string } })[];
  contexts: (Named & { context: { cluster: string; user: string } })[];
  "current-context": string;
}

/**
 * The shared cluster under two more contexts: `second` (the same cluster) and `unreachable` (a
 * server nothing listens on), so that which context an operation used shows in what it can reach.
 */
function twoContexts(kubeconfig: string, dir: string): string {
  const config = parse(readFileSync(kubeconfig, "utf8")) as Kubeconfig;
  const current = config.contexts.find((c) => c.name === config["current-context"]) ?? config.contexts[0];
  const cluster = config.clusters.find((c) => c.name === current?.context.cluster);
  assert.ok(current && cluster, "the shared kubeconfig names its cluster");
  config.clusters.push({
    ...cluster,
    name: "nowhere",
    cluster: { ...cluster.cluster, server: "https://127.0.0.1:9" },
  });
  config.contexts.push({ name: "second", context: { ...current.context } });
  config.contexts.push({ name: "unreachable", context: { ...current.context, cluster: "nowhere" } });
  const path = join(dir, "clusters.kubeconfig");
  writeFileSync(path, stringify(config));
  return path;
}

// Chainsaw's multi-cluster fields: `clusters` (test, step, operation; relative kubeconfig paths from
// the test's folder), `cluster` by name or expression, empty meaning the run's own cluster.
const chainsawTest = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: multi
spec:
  clusters:
    second:
      kubeconfig: ../clusters.kubeconfig
      context: second
  scenarios:
    - bindings:
        - name: cluster
          value: ''
  cluster: ($cluster)
  bindings:
    - name: target
      value: second
  steps:
    - cluster: ($target)
      try:
        - apply:
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: via-second
              data:
                foo: bar
        - script:
            content: kubectl config current-context
            check:
              (trim_space($stdout)): second
        - assert:
            cluster: ''
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: via-second
              data:
                foo: bar
---
apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: unreachable
spec:
  steps:
    - clusters:
        away:
          kubeconfig: ../clusters.kubeconfig
          context: unreachable
      try:
        - apply:
            cluster: away
            timeout: 2s
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: never
---
apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: undefined-cluster
spec:
  steps:
    - try:
        - apply:
            cluster: elsewhere
            resource:
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: never
`;

test("cluster and clusters select a kubeconfig context per test, step and operation", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const root = mkdtempSync(join(tmpdir(), "kp-e2e-multi-cluster-"));
  twoContexts(kubeconfig, root);
  mkdirSync(join(root, "multi"));
  writeFileSync(join(root, "multi", "chainsaw-test.yaml"), chainsawTest);
  const result = await runCli(
    ["test", "multi", "--kubeconfig", kubeconfig, "--reporter", "json", "--report-dir", join(root, "report")],
    { cwd: root },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const report = JSON.parse(readFileSync(join(root, "report", "report.json"), "utf8")) as {
    results: { tests: { name: string; status: string; message?: string }[] };
  };
  const byName = new Map(report.results.tests.map((r) => [r.name, r]));
  assert.equal(byName.get("multi")?.status, "passed", result.stdout + result.stderr);
  const unreachable = byName.get("unreachable");
  assert.equal(unreachable?.status, "failed");
  assert.match(unreachable?.message ?? "", /127\.0\.0\.1:9|ECONNREFUSED|timed out/);
  const undefinedCluster = byName.get("undefined-cluster");
  assert.equal(undefinedCluster?.status, "failed");
  assert.match(
    undefinedCluster?.message ?? "",
    /cluster "elsewhere" is not defined: no clusters are defined/,
  );
});
