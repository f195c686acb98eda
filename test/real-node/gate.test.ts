import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gitImage } from "../../src/cluster/providers/real/git-image.ts";
import type { ClusterTier } from "../../src/gate/config.ts";
import { feedbackDocumentSchema } from "../../src/gate/feedback/index.ts";
import { runJobTier } from "../../src/gate/job/run.ts";
import { parseSummary } from "../../src/gate/job/summary.ts";
import { follow } from "../../src/gate/job/watch.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources, type KubeObject } from "../../src/kube/resources.ts";
import type { GateEvent } from "../../src/model/gate-events.ts";
import { runCli } from "../support/cli.ts";
import { serveRepository } from "../support/git-server.ts";
import { realKubeconfig, realNodeSkip } from "../support/real-node.ts";
import { waitUntil } from "../support/wait.ts";
import { git, tempDir, writeFiles } from "../gate/support.ts";

type Obj = Record<string, any>;
const { NODE_TEST_CONTEXT: _, ...env } = process.env;

/**
 * The gate's Job tier for real: a fixture repository is served on the cluster by `git http-backend`
 * (busybox httpd running it as CGI, in a pod of the git image built from this machine's git), and
 * the gate's Job clones it at the exact commit and runs its checks in a real container, in a
 * namespace that enforces the Pod Security "restricted" profile.
 */

// The last line would lose a `$` and print "true" on a real node if the gate let the kubelet
// expand `$(NAME)` and `$$` in what it passes on.
const PASSING = [
  `test "$(cat version.txt)" = one`,
  `echo "checked out $(git rev-parse HEAD) with version $(cat version.txt)"`,
  `echo '$(CI) $$ as written'`,
].join(" && ");
const FAILING = `echo compiling the widget; echo "widget.go:3:7: error: expected 2, got 3" >&2; exit 3`;

const RESOURCES = {
  requests: { cpu: "50m", memory: "64Mi", "ephemeral-storage": "64Mi" },
  limits: { cpu: "1", memory: "256Mi", "ephemeral-storage": "1Gi" },
};

/** The tier, as the library takes it (durations in ms) and as kubeproof.yaml says it. */
function clusterTier(namespace: string): ClusterTier {
  return {
    name: "cluster",
    kind: "cluster",
    image: gitImage,
    repo: `http://git.${namespace}.svc.cluster.local:8080/cgi-bin/git/repo.git`,
    namespace,
    deadline: 300_000,
    cloneTimeout: 60_000,
    resources: RESOURCES,
    checks: [
      { name: "pass", run: PASSING, timeout: 60_000 },
      { name: "fail", run: FAILING, timeout: 60_000 },
    ],
  };
}

function gateConfig(namespace: string): string {
  const tier = clusterTier(namespace);
  const yaml = {
    ...tier,
    deadline: "5m",
    cloneTimeout: "1m",
    checks: tier.checks.map((check) => ({ ...check, timeout: "1m" })),
  };
  // JSON is YAML.
  return JSON.stringify({ gate: { tiers: [yaml] } }, null, 2);
}

describe("the gate's Job tier on a real node", { skip: realNodeSkip }, () => {
  const namespace = `gate-real-${Math.random().toString(36).slice(2, 8)}`;
  const dir = tempDir("kp-gate-real-");
  let client: KubeClient;
  let resources: Resources;
  /** The fixture repository, checked out (detached) at `commit`; the server's main is one commit ahead. */
  let root: string;
  let commit: string;

  before(async () => {
    client = new KubeClient(await loadKubeconfig({ path: realKubeconfig }));
    resources = new Resources(client);
    const load = await runCli(
      ["cluster", "load", "--git-image", "--name", process.env.KUBEPROOF_TEST_REAL_CLUSTER!],
      { env },
    );
    assert.equal(load.code, 0, load.stderr);
    assert.match(load.stderr, /loaded kubeproof\.local\/git:1 into real-node-0/);
    await resources.create({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    });
    root = join(dir, "repo");
    git(dir, "init", "-q", "-b", "main", root);
    writeFiles(root, { "kubeproof.yaml": gateConfig(namespace), "version.txt": "one\n" });
    git(root, "add", "-A");
    git(root, "commit", "-q", "-m", "version one");
    commit = git(root, "rev-parse", "HEAD");
    writeFiles(root, { "version.txt": "two\n" });
    git(root, "commit", "-q", "-am", "version two");
    git(root, "bundle", "create", "-q", join(dir, "repo.bundle"), "--all");
    git(root, "checkout", "-q", "--detach", commit);
    await serveRepository(resources, namespace, readFileSync(join(dir, "repo.bundle")));
  });

  after(async () => {
    await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => undefined);
    client.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("clones the exact commit and reports each check with its log and the summary", async () => {
    const tier = clusterTier(namespace);
    const events: GateEvent[] = [];
    const pods = podsOf(resources, namespace);
    const result = await runJobTier(tier, {
      resources,
      commit,
      repo: tier.repo!,
      onEvent: (event) => events.push(event),
    });
    const lastPod = await pods.stop();
    const [pass, fail] = result.checks;
    assert.equal(pass?.name, "pass", JSON.stringify(result.checks));
    assert.equal(pass.exitCode, 0, JSON.stringify(result.checks));
    assert.equal(pass.output, `checked out ${commit} with version one\n$(CI) $$ as written`);
    assert.equal(fail?.name, "fail");
    assert.equal(fail.exitCode, 3);
    assert.equal(fail.output, "compiling the widget\nwidget.go:3:7: error: expected 2, got 3");
    // What the runner left in the termination message, as the gate read it.
    const checksStatus = ((lastPod?.status as Obj | undefined)?.containerStatuses as Obj[] | undefined)?.find(
      (s) => s.name === "checks",
    );
    const summary = parseSummary(checksStatus?.state?.terminated?.message);
    assert.deepEqual(
      summary?.checks.map((c) => [c.name, c.exitCode, c.timedOut, c.error]),
      [
        ["pass", 0, false, ""],
        ["fail", 3, false, "widget.go:3:7: error: expected 2, got 3"],
      ],
    );
    const clone = ((lastPod?.status as Obj | undefined)?.initContainerStatuses as Obj[] | undefined)?.[0];
    assert.equal(clone?.state?.terminated?.exitCode, 0);
    assert.ok(events.some((e) => e.type === "job-deleted"));
    assert.deepEqual((await resources.list({ apiVersion: "batch/v1", kind: "Job", namespace })).items, []);
  });

  test("kubeproof gate: FAIL with the failing check's real log, exit 1, the Job deleted", async () => {
    const run = await runCli(["gate", "--kubeconfig", realKubeconfig!, "--feedback", "f.json"], {
      cwd: root,
      env,
    });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^kubeproof gate: FAIL — 1 of 2 checks did not pass\n/);
    assert.match(run.stdout, /first build error \(go\) widget\.go:3:7: error: expected 2, got 3\n/);
    assert.match(run.stderr, new RegExp(`created for commit ${commit.slice(0, 12)}`));
    const doc = feedbackDocumentSchema.parse(JSON.parse(readFileSync(join(root, "f.json"), "utf8")));
    assert.deepEqual(
      doc.checks.map((c) => [c.name, c.status, c.exitCode]),
      [
        ["pass", "passed", 0],
        ["fail", "failed", 3],
      ],
    );
    assert.match(doc.checks[1]?.logExcerpt ?? "", /widget\.go:3:7: error: expected 2, got 3/);
    assert.deepEqual((await resources.list({ apiVersion: "batch/v1", kind: "Job", namespace })).items, []);
    await waitUntil("the Job's pods to go", async () => {
      const list = await resources.list({
        apiVersion: "v1",
        kind: "Pod",
        namespace,
        labelSelector: "app.kubernetes.io/component=gate",
      });
      return list.items.length === 0;
    });
  });
});

/** Watches the gate's pods and keeps the newest state of the last one seen, deleted or not. */
function podsOf(resources: Resources, namespace: string): { stop: () => Promise<KubeObject | undefined> } {
  const abort = new AbortController();
  let last: KubeObject | undefined;
  const done = follow(
    resources,
    { apiVersion: "v1", kind: "Pod", namespace, labelSelector: "app.kubernetes.io/component=gate" },
    (_type, object) => {
      last = object;
    },
    abort.signal,
  );
  return {
    stop: async () => {
      abort.abort();
      await done;
      return last;
    },
  };
}
