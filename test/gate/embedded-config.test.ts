import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadGateConfig } from "../../src/cli/gate-config.ts";
import { clusterBudgetSeconds, type ClusterTier } from "../../src/gate/config.ts";
import { EMBEDDED_KUBECONFIG, EMBEDDED_RUNNER_SCRIPT } from "../../src/gate/job/embedded.ts";
import { buildJob, literal } from "../../src/gate/job/manifest.ts";
import { RUNNER_SCRIPT } from "../../src/gate/job/scripts.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { tempDir, writeFiles } from "./support.ts";

const tierText = (cluster: string, deadline = "10m"): string => `gate:
  tiers:
    - name: e2e
      kind: cluster
      image: kubeproof.local/kubeproof:0.1.0
      namespace: gates
      cluster: ${cluster}
      deadline: ${deadline}
      checks:
        - name: chainsaw
          run: kubeproof test e2e
          timeout: 5m
`;

function load(text: string): ReturnType<typeof loadGateConfig> {
  const dir = tempDir();
  writeFiles(dir, { "kubeproof.yaml": text });
  return loadGateConfig({ cwd: dir });
}

function errorsOf(text: string): string[] {
  try {
    load(text);
  } catch (error) {
    if (error instanceof LoadErrors) return error.errors.map((e) => e.format());
    throw error;
  }
  assert.fail("expected LoadErrors");
}

describe("cluster: embedded in a cluster tier", () => {
  it("is read, and its budget holds the cluster's start and stop", () => {
    const tier = load(tierText("embedded")).gate.tiers[0] as ClusterTier;
    assert.equal(tier.cluster, "embedded");
    // 2m clone + 2m30s cluster + (5m + 5s)
    assert.equal(clusterBudgetSeconds(tier), 120 + 150 + 305);
  });

  it("refuses any other value with its position and what is expected", () => {
    assert.deepEqual(errorsOf(tierText("kind")), [
      'kubeproof.yaml:7:7: gate.tiers[0].cluster: invalid value "kind" — expected embedded',
    ]);
  });

  it("counts the cluster's start in the deadline rule", () => {
    assert.deepEqual(errorsOf(tierText("embedded", "9m")), [
      "kubeproof.yaml:8:7: gate.tiers[0].deadline: the deadline 9m does not leave room for the checks — expected more than 9m35s (the clone budget, 2m30s to start and stop the embedded cluster, plus each check's timeout and 5s to stop it); raise the deadline or lower the check timeouts",
    ]);
  });

  it("makes the checks container start the cluster and hand its kubeconfig to the checks", () => {
    const tier = load(tierText("embedded")).gate.tiers[0] as ClusterTier;
    const { cluster: _embedded, ...plain } = tier;
    const containerOf = (t: ClusterTier): any => {
      const job: any = buildJob({
        tier: t,
        checks: t.checks,
        commit: "a".repeat(40),
        repo: "https://example.com/a.git",
      });
      return job.spec.template.spec.containers[0];
    };
    const embedded = containerOf(tier);
    assert.deepEqual(embedded.command, ["sh", "-c", literal(EMBEDDED_RUNNER_SCRIPT)]);
    const env = Object.fromEntries(embedded.env.map((e: any) => [e.name, e.value] as [string, string]));
    assert.equal(env.KUBECONFIG, EMBEDDED_KUBECONFIG);
    assert.equal(env.KUBEPROOF_HOME, "/workspace/kubeproof");
    // Still no privileges: the cluster runs as the same non-root user.
    assert.equal(embedded.securityContext.privileged, false);
    assert.deepEqual(embedded.securityContext.capabilities, { drop: ["ALL"] });
    const other = containerOf(plain);
    assert.deepEqual(other.command, ["sh", "-c", literal(RUNNER_SCRIPT)]);
    assert.equal(
      other.env.some((e: any) => e.name === "KUBECONFIG"),
      false,
    );
  });
});
