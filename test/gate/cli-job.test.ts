import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { feedbackDocumentSchema } from "../../src/gate/feedback/index.ts";
import { runCli, startCli } from "../support/cli.ts";
import { waitUntil } from "../support/wait.ts";
import { gateCluster, gatePod, jobsIn, serveLogs, summaryMessage } from "./cluster-support.ts";
import { gitRepo } from "./support.ts";

const { NODE_TEST_CONTEXT: _, ...env } = process.env;

function config(namespace: string, annotations: Record<string, string>): string {
  return `gate:
  tiers:
    - name: fast
      checks:
        - { name: lint, run: "true", timeout: 10s }
    - name: cluster
      kind: cluster
      image: ghcr.io/example/ci:1
      repo: https://github.com/example/app.git
      namespace: ${namespace}
      deadline: 10m
      podAnnotations: ${JSON.stringify(annotations)}
      checks:
        - { name: e2e, run: make test-e2e, timeout: 5m }
`;
}

describe("kubeproof gate with a cluster tier (CLI)", { concurrency: true }, () => {
  it("runs the local tier, then the Job, and exits 0 on PASS", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const root = gitRepo({
      "kubeproof.yaml": config(cluster.namespace, {
        "kubeproof.dev/duration": "1h",
        "kubeproof.dev/termination-message": summaryMessage([{ name: "e2e", exitCode: 0, seconds: 30 }]),
      }),
    });
    const logs = serveLogs(cluster.resources, cluster.namespace, {
      checks: ["##kubeproof-gate## begin 0 e2e", "all good", "##kubeproof-gate## end 0 exit=0"],
    });
    const run = await runCli(["gate", "--kubeconfig", cluster.kubeconfig, "--feedback", "f.json"], {
      cwd: root,
      env,
    });
    await logs;
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^kubeproof gate: PASS — 2 of 2 checks passed\n/);
    assert.match(
      run.stderr,
      /Job [a-z0-9-]+\/kp-gate-cluster-[0-9a-f]{8}-[a-z0-9]{5} created for commit [0-9a-f]{12}/,
    );
    const doc = feedbackDocumentSchema.parse(JSON.parse(readFileSync(join(root, "f.json"), "utf8")));
    assert.deepEqual(
      doc.tiers.map((tier) => [tier.name, tier.status]),
      [
        ["fast", "passed"],
        ["cluster", "passed"],
      ],
    );
    assert.deepEqual(await jobsIn(cluster.resources, cluster.namespace), []);
  });

  it("Ctrl-C deletes the Job and exits 130", async (t: TestContext) => {
    const cluster = await gateCluster(t);
    if (!cluster) return;
    const root = gitRepo({ "kubeproof.yaml": config(cluster.namespace, { "kubeproof.dev/duration": "1h" }) });
    const cli = startCli(["gate", "--kubeconfig", cluster.kubeconfig, "--feedback", "f.json"], {
      cwd: root,
      env,
    });
    await gatePod(cluster.resources, cluster.namespace);
    await waitUntil("the Job to run its checks", () =>
      Promise.resolve(cli.output().stderr.includes("Job: running checks")),
    );
    cli.child.kill("SIGINT");
    const run = await cli.result;
    assert.equal(run.code, 130, run.stderr);
    assert.match(run.stderr, /Job [a-z0-9-]+\/kp-gate-cluster-\S+ deleted/);
    const doc = feedbackDocumentSchema.parse(JSON.parse(readFileSync(join(root, "f.json"), "utf8")));
    assert.equal(doc.verdict, "ERROR");
    await waitUntil(
      "the Job to be gone",
      async () => (await jobsIn(cluster.resources, cluster.namespace)).length === 0,
    );
  });
});
