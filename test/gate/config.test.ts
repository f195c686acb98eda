import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadGateConfig } from "../../src/cli/gate-config.ts";
import { clusterBudgetSeconds, type ClusterTier } from "../../src/gate/config.ts";
import { EMBEDDED_KUBECONFIG, EMBEDDED_RUNNER_SCRIPT } from "../../src/gate/job/embedded.ts";
import { buildJob, literal } from "../../src/gate/job/manifest.ts";
import { RUNNER_SCRIPT } from "../../src/gate/job/scripts.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { tempDir, writeFiles } from "./support.ts";

/** The example of the issue, verbatim. */
const ISSUE_EXAMPLE = `gate:
  tiers:
    - name: fast
      checks:
        - name: lint
          run: npm run lint
          timeout: 2m
        - name: unit
          run: npm test
          timeout: 5m
          paths: ["src/**", "test/**"]
    - name: cluster
      kind: cluster
      image: ghcr.io/example/ci:1
      repo: https://github.com/example/app.git
      namespace: gates
      deadline: 30m
      checks:
        - name: envtest
          run: make test
          timeout: 15m
        - name: e2e
          run: make test-e2e
          timeout: 12m
`;

function load(text: string, name = "kubeproof.yaml"): ReturnType<typeof loadGateConfig> {
  const dir = tempDir();
  writeFiles(dir, { [name]: text });
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

describe("gate configuration", () => {
  it("reads the issue's example: tiers in order, durations in milliseconds", () => {
    const { gate } = load(ISSUE_EXAMPLE);
    assert.equal(gate.tiers.length, 2);
    const [fast, cluster] = gate.tiers;
    assert.deepEqual(fast, {
      name: "fast",
      checks: [
        { name: "lint", run: "npm run lint", timeout: 120_000 },
        { name: "unit", run: "npm test", timeout: 300_000, paths: ["src/**", "test/**"] },
      ],
    });
    assert.deepEqual(cluster, {
      name: "cluster",
      kind: "cluster",
      image: "ghcr.io/example/ci:1",
      repo: "https://github.com/example/app.git",
      namespace: "gates",
      deadline: 1_800_000,
      checks: [
        { name: "envtest", run: "make test", timeout: 900_000 },
        { name: "e2e", run: "make test-e2e", timeout: 720_000 },
      ],
    });
    // 2m clone + (15m + 5s) + (12m + 5s) < 30m
    assert.equal(clusterBudgetSeconds(cluster as ClusterTier), 120 + 905 + 725);
  });

  it("reads spec.gate of a full kubeproof configuration", () => {
    const text = `apiVersion: kubeproof.dev/v1alpha1
kind: Configuration
spec:
  execution:
    parallel: 2
  gate:
    tiers:
      - name: fast
        secrets: [NPM_TOKEN]
        checks:
          - name: unit
            run: npm test
            timeout: 30s
            env: { CI: "1" }
`;
    const { gate, file } = load(text);
    assert.match(file, /kubeproof\.yaml$/);
    assert.deepEqual(gate.tiers[0], {
      name: "fast",
      secrets: ["NPM_TOKEN"],
      checks: [{ name: "unit", run: "npm test", timeout: 30_000, env: { CI: "1" } }],
    });
  });

  it("finds the file in a parent directory and takes --config relative to the working directory", () => {
    const dir = tempDir();
    writeFiles(dir, {
      "kubeproof.yaml": ISSUE_EXAMPLE,
      "sub/deeper/.keep": "",
      "other/gate.yaml": ISSUE_EXAMPLE,
    });
    assert.equal(loadGateConfig({ cwd: join(dir, "sub", "deeper") }).file, join(dir, "kubeproof.yaml"));
    assert.equal(
      loadGateConfig({ cwd: dir, configPath: "other/gate.yaml" }).file,
      join(dir, "other", "gate.yaml"),
    );
  });

  it("points at each mistake with file:line:col, what was expected and what to do", () => {
    const errors = errorsOf(`gate:
  tiers:
    - name: fast
      checks:
        - name: unit
          run: npm test
          timout: 5m
        - name: lint
          run: npm run lint
          timeout: five minutes
    - name: cluster
      kind: clustr
      checks: []
`);
    // The misspelt key is the cause; "timeout is missing" would only repeat it.
    assert.deepEqual(errors, [
      'kubeproof.yaml:7:11: gate.tiers[0].checks[0]: unknown field "timout" — expected one of name, run, timeout, paths, env; did you mean "timeout"?',
      'kubeproof.yaml:10:11: gate.tiers[0].checks[1].timeout: invalid duration "five minutes" — expected a duration such as 30s, 1m30s or 500ms',
      'kubeproof.yaml:12:7: gate.tiers[1].kind: invalid tier kind "clustr" — expected local (the default) or cluster; did you mean "cluster"?',
    ]);
  });

  it("refuses a deadline that leaves no room for the clone and the checks", () => {
    const errors = errorsOf(`gate:
  tiers:
    - name: cluster
      kind: cluster
      image: ci:1
      namespace: gates
      deadline: 10m
      cloneTimeout: 1m
      checks:
        - name: e2e
          run: make e2e
          timeout: 9m
`);
    assert.deepEqual(errors, [
      "kubeproof.yaml:7:7: gate.tiers[0].deadline: the deadline 10m does not leave room for the checks — expected more than 10m5s (the clone budget, plus each check's timeout and 5s to stop it); raise the deadline or lower the check timeouts",
    ]);
  });

  it("refuses unsafe repository URLs, names that cannot reach a Job, and duplicates", () => {
    const errors = errorsOf(`gate:
  tiers:
    - name: Cluster_1
      kind: cluster
      image: ci:1
      repo: https://user:token@github.com/example/app.git
      namespace: gates
      deadline: 30m
      checks:
        - name: e2e
          run: make e2e
          timeout: 1m
          env: { KUBEPROOF_X: "1" }
`);
    assert.deepEqual(errors, [
      "kubeproof.yaml:3:7: gate.tiers[0].name: invalid tier name — expected lowercase letters, digits and '-', at most 30 characters",
      "kubeproof.yaml:6:7: gate.tiers[0].repo: invalid repository URL — expected an http(s) URL without credentials, query or fragment, such as https://github.com/example/app.git",
      "kubeproof.yaml:13:18: gate.tiers[0].checks[0].env.KUBEPROOF_X: names starting with KUBEPROOF_ are reserved for the gate — expected an environment variable name ([A-Za-z_][A-Za-z0-9_]*, not starting with KUBEPROOF_)",
    ]);
    const dup = errorsOf(`gate:
  tiers:
    - name: fast
      checks:
        - { name: unit, run: "true", timeout: 1s }
        - { name: unit, run: "true", timeout: 1s }
    - name: fast
      checks:
        - { name: lint, run: "true", timeout: 1s }
`);
    assert.deepEqual(dup, [
      'kubeproof.yaml:6:13: gate.tiers[0].checks[1].name: duplicate check name "unit" in tier "fast"; give each check of a tier its own name',
      'kubeproof.yaml:7:7: gate.tiers[1].name: duplicate tier name "fast"; give each tier its own name',
    ]);
  });

  it("asks for secretName when a cluster tier names secrets", () => {
    const errors = errorsOf(`gate:
  tiers:
    - name: cluster
      kind: cluster
      image: ci:1
      namespace: gates
      deadline: 30m
      secrets: [TOKEN]
      checks:
        - { name: e2e, run: make e2e, timeout: 1m }
`);
    assert.deepEqual(errors, [
      "kubeproof.yaml:8:7: gate.tiers[0].secrets: secrets of a cluster tier are keys of a Secret — expected secretName next to secrets; add secretName: <a Secret in the namespace>",
    ]);
  });

  it("says where the gate section is missing and which file was not found", () => {
    assert.deepEqual(errorsOf("apiVersion: kubeproof.dev/v1alpha1\nkind: Configuration\nspec: {}\n"), [
      "kubeproof.yaml:3:1: no spec.gate section — expected tiers with checks; add a gate section (see docs/gate.md)",
    ]);
    assert.deepEqual(errorsOf("gate:\n  tiers: []\nextra: 1\n"), [
      'kubeproof.yaml:3:1: unknown field "extra" — expected gate (or a full configuration with apiVersion and kind: Configuration)',
    ]);
    const dir = tempDir();
    assert.throws(
      () => loadGateConfig({ cwd: dir, configPath: "nope.yaml" }),
      (error: unknown) =>
        error instanceof LoadErrors &&
        /nope\.yaml: cannot read the configuration: ENOENT/.test(error.message),
    );
  });
});

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
