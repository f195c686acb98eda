import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { clusterBudgetSeconds, type ClusterTier } from "../../../src/gate/config.ts";
import {
  buildJob,
  buildServiceAccount,
  containerResources,
  jobName,
  literal,
  UnsafeValueError,
} from "../../../src/gate/job/manifest.ts";
import { CLONE_SCRIPT, RUNNER_SCRIPT } from "../../../src/gate/job/scripts.ts";

const SHA = "4a94db88ae69a32c3d90608bea6b1626ccbdfa37";

const TIER: ClusterTier = {
  name: "cluster",
  kind: "cluster",
  image: "ghcr.io/example/ci:1",
  repo: "https://github.com/example/app.git",
  namespace: "gates",
  deadline: 30 * 60_000,
  checks: [
    { name: "envtest", run: "make test", timeout: 15 * 60_000 },
    {
      name: "e2e",
      run: "make test-e2e $(echo pwned) `id`",
      timeout: 12 * 60_000,
      env: { E2E_FOCUS: "smoke; rm -rf /" },
    },
  ],
};

function job(tier: ClusterTier = TIER, extra: { branch?: string; repo?: string; commit?: string } = {}): any {
  return buildJob({
    tier,
    checks: tier.checks,
    commit: extra.commit ?? SHA,
    repo: extra.repo ?? tier.repo ?? "",
    ...(extra.branch !== undefined ? { branch: extra.branch } : {}),
    suffix: "abcde",
  });
}

const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  privileged: false,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

const RESOURCES = {
  requests: { cpu: "1", memory: "2Gi", "ephemeral-storage": "2Gi" },
  limits: { cpu: "2", memory: "4Gi", "ephemeral-storage": "10Gi" },
};

describe("the Job manifest", () => {
  it("is a one-shot Job with a deadline the check budgets fit in", () => {
    const j = job(TIER, { branch: "feature/gate" });
    assert.equal(j.apiVersion, "batch/v1");
    assert.equal(j.kind, "Job");
    assert.equal(j.metadata.name, "kp-gate-cluster-4a94db88-abcde");
    assert.equal(j.metadata.namespace, "gates");
    assert.deepEqual(j.metadata.labels, {
      "app.kubernetes.io/managed-by": "kubeproof",
      "app.kubernetes.io/component": "gate",
      "kubeproof.dev/gate-tier": "cluster",
      "kubeproof.dev/gate-job": "kp-gate-cluster-4a94db88-abcde",
    });
    assert.deepEqual(j.metadata.annotations, {
      "kubeproof.dev/commit": SHA,
      "kubeproof.dev/repo": "https://github.com/example/app.git",
      "kubeproof.dev/branch": "feature/gate",
    });
    assert.equal(j.spec.backoffLimit, 0);
    assert.equal(j.spec.activeDeadlineSeconds, 1800);
    assert.ok(clusterBudgetSeconds(TIER) < j.spec.activeDeadlineSeconds);
    assert.equal(j.spec.ttlSecondsAfterFinished, 3600);
    assert.deepEqual(j.spec.podFailurePolicy, {
      rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }],
    });
    assert.equal(j.spec.template.spec.restartPolicy, "Never");
    assert.deepEqual(j.spec.template.metadata.labels, j.metadata.labels);
  });

  it("runs as a dedicated service account without an API token, as non-root with nothing extra allowed", () => {
    const pod = job().spec.template.spec;
    assert.equal(pod.serviceAccountName, "kubeproof-gate");
    assert.equal(pod.automountServiceAccountToken, false);
    assert.equal(pod.enableServiceLinks, false);
    assert.deepEqual(pod.securityContext, {
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: "RuntimeDefault" },
    });
    assert.deepEqual(
      [...pod.initContainers, ...pod.containers].map((c: { name: string }) => c.name),
      ["clone", "checks"],
    );
    for (const container of [...pod.initContainers, ...pod.containers]) {
      assert.deepEqual(container.securityContext, CONTAINER_SECURITY, container.name);
      assert.deepEqual(container.resources, RESOURCES, container.name);
      assert.equal(container.image, "ghcr.io/example/ci:1");
      assert.equal(container.terminationMessagePath, "/dev/termination-log");
      assert.deepEqual(container.volumeMounts, [{ name: "workspace", mountPath: "/workspace" }]);
    }
    assert.equal(pod.initContainers[0].terminationMessagePolicy, "FallbackToLogsOnError");
    assert.equal(pod.containers[0].terminationMessagePolicy, "File");
    assert.deepEqual(pod.volumes, [{ name: "workspace", emptyDir: { sizeLimit: "10Gi" } }]);
    const sa = buildServiceAccount("kubeproof-gate", "gates");
    assert.equal(sa.automountServiceAccountToken, false);
    assert.deepEqual(sa.metadata, {
      name: "kubeproof-gate",
      namespace: "gates",
      labels: { "app.kubernetes.io/managed-by": "kubeproof", "app.kubernetes.io/component": "gate" },
    });
  });

  it("passes every value as an environment variable and runs only the constant scripts", () => {
    const a = job(TIER, { branch: "feature/gate" });
    const b = job(
      { ...TIER, checks: [{ name: "other", run: "echo other", timeout: 1000 }] },
      { commit: "f".repeat(40) },
    );
    for (const [i, name] of [
      [0, "initContainers"],
      [0, "containers"],
    ] as const) {
      assert.deepEqual(a.spec.template.spec[name][i].command, b.spec.template.spec[name][i].command);
    }
    assert.deepEqual(a.spec.template.spec.initContainers[0].command, ["sh", "-c", literal(CLONE_SCRIPT)]);
    assert.deepEqual(a.spec.template.spec.containers[0].command, ["sh", "-c", literal(RUNNER_SCRIPT)]);
    assert.equal(a.spec.template.spec.initContainers[0].args, undefined);
    assert.equal(a.spec.template.spec.containers[0].args, undefined);
    const envOf = (c: { env: { name: string; value?: string }[] }): Record<string, string | undefined> =>
      Object.fromEntries(c.env.map((e) => [e.name, e.value]));
    assert.deepEqual(envOf(a.spec.template.spec.initContainers[0]), {
      HOME: "/workspace/home",
      TMPDIR: "/workspace/tmp",
      KUBEPROOF_WORKDIR: "/workspace/src",
      KUBEPROOF_REPO: "https://github.com/example/app.git",
      KUBEPROOF_SHA: SHA,
      KUBEPROOF_BRANCH: "feature/gate",
      KUBEPROOF_CLONE_TIMEOUT: "120",
      GIT_TERMINAL_PROMPT: "0",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_ALLOW_PROTOCOL: "https:http",
    });
    assert.deepEqual(envOf(a.spec.template.spec.containers[0]), {
      HOME: "/workspace/home",
      TMPDIR: "/workspace/tmp",
      KUBEPROOF_WORKDIR: "/workspace/src",
      CI: "true",
      KUBEPROOF_GATE: "1",
      KUBEPROOF_COMMIT: SHA,
      KUBEPROOF_KILL_GRACE: "5",
      KUBEPROOF_CHECK_COUNT: "2",
      KUBEPROOF_CHECK_0_NAME: "envtest",
      KUBEPROOF_CHECK_0_RUN: "make test",
      KUBEPROOF_CHECK_0_TIMEOUT: "900",
      KUBEPROOF_CHECK_0_ENV_COUNT: "0",
      KUBEPROOF_CHECK_1_NAME: "e2e",
      KUBEPROOF_CHECK_1_RUN: "make test-e2e $$(echo pwned) `id`",
      KUBEPROOF_CHECK_1_TIMEOUT: "720",
      KUBEPROOF_CHECK_1_ENV_COUNT: "1",
      KUBEPROOF_CHECK_1_ENV_0_NAME: "E2E_FOCUS",
      KUBEPROOF_CHECK_1_ENV_0_VALUE: "smoke; rm -rf /",
    });
  });

  it("doubles every $ so that the kubelet's $(NAME) expansion gives back the text as written", () => {
    const env = { HOME: "/workspace/home", CI: "true" };
    for (const text of [
      "echo $$",
      "$(HOME)",
      "$$(HOME)",
      "\\$$1",
      "cost: 5$",
      "$(CI)$((1+2))",
      RUNNER_SCRIPT,
    ]) {
      assert.equal(kubeletExpand(literal(text), env), text);
    }
    // What a real node would have run without it.
    assert.equal(kubeletExpand("echo $$ $(HOME)", env), "echo $ /workspace/home");
  });

  it("gives secrets to the checks only, by reference to the Secret", () => {
    const j = job({ ...TIER, secretName: "ci-secrets", secrets: ["REGISTRY_TOKEN"] });
    const checks = j.spec.template.spec.containers[0].env;
    assert.deepEqual(checks.at(-1), {
      name: "REGISTRY_TOKEN",
      valueFrom: { secretKeyRef: { name: "ci-secrets", key: "REGISTRY_TOKEN" } },
    });
    const clone = j.spec.template.spec.initContainers[0].env;
    assert.equal(
      clone.some((e: any) => e.valueFrom !== undefined),
      false,
    );
  });

  it("refuses values that did not pass the allow-lists", () => {
    assert.throws(() => job(TIER, { commit: "HEAD" }), UnsafeValueError);
    assert.throws(() => job(TIER, { commit: `${SHA}; id` }), UnsafeValueError);
    assert.throws(() => job(TIER, { repo: "https://u:p@github.com/x/y.git" }), UnsafeValueError);
    assert.throws(() => job(TIER, { repo: "ext::sh -c id" }), UnsafeValueError);
    assert.throws(() => job(TIER, { branch: "--upload-pack=id" }), UnsafeValueError);
    assert.throws(() => job(TIER, { branch: "a;b" }), UnsafeValueError);
  });

  it("fits Job names in 63 characters", () => {
    assert.equal(jobName("a".repeat(30), SHA, "abcde").length <= 63, true);
    assert.equal(jobName("a".repeat(30), SHA, "abcde"), `kp-gate-${"a".repeat(30)}-4a94db88-abcde`);
    assert.match(jobName("x".repeat(80), SHA, "abcde"), /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])$/);
    assert.equal(jobName("x".repeat(80), SHA, "abcde").length, 63);
  });

  it("merges configured resources over the defaults without a request above its limit", () => {
    assert.deepEqual(containerResources(TIER), RESOURCES);
    assert.deepEqual(
      containerResources({
        ...TIER,
        resources: { limits: { cpu: "500m" }, requests: { memory: "8Gi", "ephemeral-storage": "1Gi" } },
      }),
      {
        requests: { cpu: "500m", memory: "8Gi", "ephemeral-storage": "1Gi" },
        limits: { cpu: "500m", memory: "8Gi", "ephemeral-storage": "10Gi" },
      },
    );
  });

  it("carries pod annotations, node selector and user id from the tier", () => {
    const j = job({
      ...TIER,
      podAnnotations: { "example.com/x": "1" },
      nodeSelector: { pool: "ci" },
      runAsUser: 4242,
    });
    assert.deepEqual(j.spec.template.metadata.annotations, { "example.com/x": "1" });
    assert.deepEqual(j.spec.template.spec.nodeSelector, { pool: "ci" });
    assert.equal(j.spec.template.spec.securityContext.runAsUser, 4242);
    assert.equal(j.spec.template.spec.securityContext.fsGroup, 4242);
  });
});

/**
 * The kubelet's expansion of a command or env value (Kubernetes' third_party/forked/golang/expansion):
 * `$$` is one `$`, `$(NAME)` is NAME's value when NAME is defined, anything else stays as it is.
 */
function kubeletExpand(input: string, env: Record<string, string>): string {
  let out = "";
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== "$" || i + 1 >= input.length) {
      out += input[i];
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 1;
    } else if (next === "(") {
      const end = input.indexOf(")", i + 2);
      const name = end < 0 ? undefined : input.slice(i + 2, end);
      if (end < 0) out += input.slice(i);
      else out += name !== undefined && name in env ? env[name] : input.slice(i, end + 1);
      i = end < 0 ? input.length : end;
    } else {
      out += "$" + next;
      i += 1;
    }
  }
  return out;
}
