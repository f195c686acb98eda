import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import type { ClusterTier, GateCheck } from "../../../src/gate/config.ts";
import type { GateEvent } from "../../../src/model/gate-events.ts";
import { runGate, type GateResult } from "../../../src/gate/gate.ts";
import { waitUntil } from "../../support/wait.ts";
import {
  gateCluster,
  gatePod,
  jobsIn,
  serveLogs,
  summaryMessage,
  type GateCluster,
} from "../cluster-support.ts";
import { gitRepo } from "../support.ts";

/**
 * The Job tier against the shared local cluster. kwok simulates the pod: annotations on the pod
 * template (the tier's `podAnnotations`, the documented testing hook) script its exit code,
 * termination message and run time, and a kwok `Logs` object gives it a log, which the gate reads
 * through the API server's pod log endpoint. Everything else is real: the Job controller, the
 * scheduler, Pod Security admission, watches, deletion.
 */

const CHECKS: GateCheck[] = [
  { name: "unit", run: "make test", timeout: 60_000 },
  { name: "e2e", run: "make test-e2e", timeout: 60_000 },
];

function tier(cluster: GateCluster, extra: Partial<ClusterTier> = {}): ClusterTier {
  return {
    name: "cluster",
    kind: "cluster",
    image: "ghcr.io/example/ci:1",
    repo: "https://github.com/example/app.git",
    namespace: cluster.namespace,
    deadline: 600_000,
    checks: CHECKS,
    ...extra,
  };
}

interface Run {
  result: GateResult;
  events: GateEvent[];
}

async function gate(
  cluster: GateCluster,
  t: ClusterTier,
  signal?: AbortSignal,
  onEvent?: (e: GateEvent) => void,
): Promise<Run> {
  const events: GateEvent[] = [];
  // go.mod lets the feedback map `go test` output back to repository paths.
  const root = gitRepo({
    "go.mod": "module example.com/app\n\ngo 1.22\n",
    "e2e/e2e_test.go": "package e2e\n",
  });
  const result = await runGate({
    config: { tiers: [t] },
    root,
    isGitRepo: true,
    cluster: () => Promise.resolve(cluster.resources),
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e);
    },
    jobOptions: { verdictGraceMs: 30_000 },
    ...(signal ? { signal } : {}),
  });
  return { result, events };
}

async function assertJobDeleted(cluster: GateCluster, events: GateEvent[]): Promise<void> {
  const created = events.find((e) => e.type === "job-created");
  assert.ok(created, "a Job was created");
  assert.ok(
    events.some((e) => e.type === "job-deleted"),
    "the gate deleted its Job",
  );
  await waitUntil(
    "the Job to be gone",
    async () => (await jobsIn(cluster.resources, cluster.namespace)).length === 0,
  );
}

const PASS_LOG = [
  "##kubeproof-gate## begin 0 unit",
  "ok  \texample.com/app/cart\t0.012s",
  "##kubeproof-gate## end 0 exit=0",
  "##kubeproof-gate## begin 1 e2e",
  "ok  \texample.com/app/e2e\t4.310s",
  "##kubeproof-gate## end 1 exit=0",
];

describe("the Job tier on the local cluster", { concurrency: true }, () => {
  it("PASS: the summary says every check passed; the Job and its clean-room defaults are real", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const logsServed = (async () => {
      // While the pod runs: the Job as the API server stored it keeps every clean-room setting.
      await gatePod(cluster.resources, cluster.namespace);
      const [job] = (await jobsIn(cluster.resources, cluster.namespace)) as any[];
      assert.equal(job.spec.backoffLimit, 0);
      assert.equal(job.spec.activeDeadlineSeconds, 600);
      assert.equal(job.spec.ttlSecondsAfterFinished, 3600);
      assert.deepEqual(job.spec.podFailurePolicy, {
        rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }],
      });
      const pod = job.spec.template.spec;
      assert.equal(pod.automountServiceAccountToken, false);
      assert.equal(pod.serviceAccountName, "kubeproof-gate");
      assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
      for (const c of [...pod.initContainers, ...pod.containers]) {
        assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
        assert.equal(c.securityContext.allowPrivilegeEscalation, false);
        assert.equal(c.resources.limits["ephemeral-storage"], "10Gi");
      }
      await serveLogs(cluster.resources, cluster.namespace, { checks: PASS_LOG });
    })();
    const { result, events } = await gate(
      cluster,
      tier(cluster, {
        podAnnotations: {
          "kubeproof.dev/duration": "1h",
          "kubeproof.dev/termination-message": summaryMessage([
            { name: "unit", exitCode: 0, seconds: 2 },
            { name: "e2e", exitCode: 0, seconds: 40 },
          ]),
        },
      }),
    );
    await logsServed;
    assert.equal(result.verdict, "PASS", JSON.stringify(result.feedback, null, 2));
    assert.equal(result.exitCode, 0);
    assert.deepEqual(
      result.checks.map((c) => [c.name, c.exitCode, c.durationMs, c.output]),
      [
        ["unit", 0, 2000, "ok  \texample.com/app/cart\t0.012s"],
        ["e2e", 0, 40_000, "ok  \texample.com/app/e2e\t4.310s"],
      ],
    );
    assert.deepEqual(
      events
        .filter((e) => e.type === "job-phase")
        .map((e) => (e.type === "job-phase" ? e.phase : ""))
        .at(-1),
      "complete",
    );
    await assertJobDeleted(cluster, events);
    const sa = await cluster.resources.get({
      apiVersion: "v1",
      kind: "ServiceAccount",
      namespace: cluster.namespace,
      name: "kubeproof-gate",
    });
    assert.equal(sa?.automountServiceAccountToken, false);
  });

  it("FAIL: the failing check from the termination message, its tests from the log, secrets masked", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const token = "s3cr3t-t0ken-4f9a2c";
    await cluster.resources.create({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "ci-secrets", namespace: cluster.namespace },
      stringData: { REGISTRY_TOKEN: token },
    });
    const logsServed = serveLogs(cluster.resources, cluster.namespace, {
      checks: [
        "##kubeproof-gate## begin 0 unit",
        "ok  \texample.com/app/cart\t0.012s",
        "##kubeproof-gate## end 0 exit=0",
        "##kubeproof-gate## begin 1 e2e",
        `logging in to registry with ${token}`,
        "--- FAIL: TestRollout (3.00s)",
        "    e2e_test.go:42: deployment web never became Available",
        "FAIL",
        "FAIL\texample.com/app/e2e\t3.012s",
        "##kubeproof-gate## end 1 exit=2",
      ],
    });
    const { result, events } = await gate(
      cluster,
      tier(cluster, {
        secretName: "ci-secrets",
        secrets: ["REGISTRY_TOKEN"],
        podAnnotations: {
          "kubeproof.dev/duration": "1h",
          "kubeproof.dev/exit-code": "2",
          "kubeproof.dev/termination-message": summaryMessage([
            { name: "unit", exitCode: 0, seconds: 2 },
            { name: "e2e", exitCode: 2, seconds: 3, error: "--- FAIL: TestRollout (3.00s)" },
          ]),
        },
      }),
    );
    await logsServed;
    assert.equal(result.verdict, "FAIL");
    assert.equal(result.exitCode, 1);
    const [unit, e2e] = result.feedback.checks;
    assert.equal(unit?.status, "passed");
    assert.deepEqual(
      {
        status: e2e?.status,
        exitCode: e2e?.exitCode,
        durationMs: e2e?.durationMs,
        timedOut: e2e?.timedOut,
        command: e2e?.command,
      },
      { status: "failed", exitCode: 2, durationMs: 3000, timedOut: false, command: "make test-e2e" },
    );
    assert.deepEqual(e2e?.failures, [
      {
        name: "TestRollout",
        file: "e2e/e2e_test.go",
        line: 42,
        message: "deployment web never became Available",
        framework: "go",
      },
    ]);
    assert.match(e2e?.logExcerpt ?? "", /^logging in to registry with \*\*\*\n--- FAIL: TestRollout/);
    assert.ok(!JSON.stringify(result.feedback).includes(token));
    await assertJobDeleted(cluster, events);
  });

  it("TIMEOUT: the Job's deadline passes while a check runs", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const { result, events } = await gate(
      cluster,
      tier(cluster, {
        deadline: 8000,
        cloneTimeout: 1000,
        checks: [
          { name: "unit", run: "make test", timeout: 1000 },
          { name: "e2e", run: "make test-e2e", timeout: 1000 },
        ],
        podAnnotations: { "kubeproof.dev/duration": "1h" },
      }),
    );
    assert.equal(result.verdict, "TIMEOUT", JSON.stringify(result.feedback, null, 2));
    assert.equal(result.exitCode, 3);
    assert.deepEqual(
      result.feedback.checks.map((c) => [c.name, c.status, c.exitCode, c.error ?? c.skipped]),
      [
        ["unit", "timedOut", null, "stopped: the Job's deadline (activeDeadlineSeconds 8) passed"],
        ["e2e", "skipped", null, "not reached: the Job's deadline (activeDeadlineSeconds 8) passed"],
      ],
    );
    await assertJobDeleted(cluster, events);
  });

  it("ERROR early: a pod no node can take", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const { result, events } = await gate(
      cluster,
      tier(cluster, { nodeSelector: { "kubeproof.dev/no-such-pool": "true" } }),
    );
    assert.equal(result.verdict, "ERROR");
    assert.equal(result.exitCode, 4);
    const [job, ...rest] = result.feedback.checks;
    assert.equal(job?.name, "(job)");
    assert.match(
      job?.error ?? "",
      /^Unschedulable: 0\/2 nodes are available: 2 node\(s\) didn't match Pod's node affinity\/selector/,
    );
    assert.deepEqual(
      rest.map((c) => [c.name, c.skipped]),
      [
        ["unit", "not run: Unschedulable"],
        ["e2e", "not run: Unschedulable"],
      ],
    );
    await assertJobDeleted(cluster, events);
  });

  it("ERROR after the capacity grace: a pod that waits for cpu no node frees", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const events: GateEvent[] = [];
    const root = gitRepo({ "go.mod": "module example.com/app\n\ngo 1.22\n" });
    const result = await runGate({
      config: {
        tiers: [tier(cluster, { resources: { requests: { cpu: "100000" }, limits: { cpu: "100000" } } })],
      },
      root,
      isGitRepo: true,
      cluster: () => Promise.resolve(cluster.resources),
      onEvent: (e) => events.push(e),
      jobOptions: { verdictGraceMs: 30_000, capacityGraceMs: 1_500 },
    });
    assert.equal(result.verdict, "ERROR", JSON.stringify(result.feedback, null, 2));
    const [job] = result.feedback.checks;
    assert.equal(job?.name, "(job)");
    assert.match(job?.error ?? "", /^Unschedulable: 0\/\d nodes are available: \d Insufficient cpu/);
    assert.match(job?.error ?? "", /\(still waiting for capacity after 1\.5s\)$/);
    // While it waited, the phase said why.
    assert.ok(
      events.some((e) => e.type === "job-phase" && e.phase.startsWith("waiting for capacity: ")),
      JSON.stringify(events.filter((e) => e.type === "job-phase")),
    );
    await assertJobDeleted(cluster, events);
  });

  it("ERROR early: an image that cannot be pulled", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const { result, events } = await gate(
      cluster,
      tier(cluster, {
        podAnnotations: {
          "kubeproof.dev/waiting-reason": "ErrImagePull",
          "kubeproof.dev/waiting-message":
            "pull access denied for ghcr.io/example/ci, repository does not exist",
        },
      }),
    );
    assert.equal(result.verdict, "ERROR");
    assert.equal(
      result.feedback.checks[0]?.error,
      "ErrImagePull: container checks: pull access denied for ghcr.io/example/ci, repository does not exist",
    );
    await assertJobDeleted(cluster, events);
  });

  it("an interrupt deletes the Job and is never a PASS", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const controller = new AbortController();
    const { result, events } = await gate(
      cluster,
      tier(cluster, { podAnnotations: { "kubeproof.dev/duration": "1h" } }),
      controller.signal,
      (e) => {
        if (e.type === "job-phase" && e.phase === "running checks") controller.abort();
      },
    );
    assert.equal(result.verdict, "ERROR");
    assert.equal(
      result.feedback.checks[0]?.error,
      "Interrupted: the gate was interrupted; the Job was deleted",
    );
    await assertJobDeleted(cluster, events);
  });

  it("ERROR with the API server's reason when the Job cannot be created", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const missing = await gate(cluster, tier(cluster, { namespace: "no-such-namespace-here" }));
    assert.equal(missing.result.verdict, "ERROR");
    assert.match(
      missing.result.feedback.checks[0]?.error ?? "",
      /^ServiceAccountUnavailable: namespaces "no-such-namespace-here" not found/,
    );
    const secret = await gate(cluster, tier(cluster, { secretName: "absent", secrets: ["TOKEN"] }));
    assert.equal(
      secret.result.feedback.checks[0]?.error,
      `SecretUnavailable: Secret ${cluster.namespace}/absent not found; create it or fix secretName`,
    );
    assert.equal(
      secret.events.some((e) => e.type === "job-created"),
      false,
    );
  });
});
