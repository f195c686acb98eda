import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  ClusterChoiceError,
  KubeClient,
  loadKubeconfig,
  NoTestsError,
  runTests,
  type FailureDetail,
  type Reporter,
  type RunInfo,
  type RunResult,
  type TestInfo,
  type TestResult,
} from "../../src/index.ts";
import { artifactsFolderName } from "../../src/run/labels.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const e2eFixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));
const runFixtures = fileURLToPath(new URL("../fixtures/run/", import.meta.url));

/** A reporter that keeps every event, for assertions on what the library reports. */
class Collector implements Reporter {
  run: RunInfo | undefined;
  planned: TestInfo[] = [];
  readonly results = new Map<string, { test: TestInfo; result: TestResult }>();
  readonly errors: FailureDetail[] = [];
  end: RunResult | undefined;
  onBegin(run: RunInfo, tests: readonly TestInfo[]): void {
    this.run = run;
    this.planned = [...tests];
  }
  onTestEnd(test: TestInfo, result: TestResult): void {
    this.results.set(test.name, { test, result });
  }
  onError(error: FailureDetail): void {
    this.errors.push(error);
  }
  onEnd(result: RunResult): void {
    this.end = result;
  }
  status(name: string): string | undefined {
    return this.results.get(name)?.result.status;
  }
}

async function reportDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "kp-library-"));
}

test("runTests runs a fixture directory against the cluster and reports results and attachments", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const collector = new Collector();
  const dir = await reportDir();
  const result = await runTests({
    paths: ["failing"],
    rootDir: e2eFixtures,
    cluster: { kubeconfig },
    reporters: [collector],
    workers: 1,
    reportDir: dir,
  });
  assert.equal(result.status, "failed");
  assert.deepEqual(result.counts, { passed: 1, failed: 1, skipped: 0, flaky: 0, interrupted: 0 });
  assert.equal(collector.end, result);
  assert.equal(collector.run?.cluster.kind, "kubeconfig");
  // The cluster the run used, for reports: its version and nodes, read once at the start.
  assert.match(collector.run?.cluster.version ?? "", /^v1\.\d+\.\d+/);
  assert.ok((collector.run?.cluster.nodes ?? []).length > 0);
  assert.deepEqual(
    collector.planned.map((p) => p.id),
    ["failing/chainsaw-test.yaml::wrong-replicas", "failing/chainsaw-test.yaml::passes"],
  );
  assert.equal(collector.status("passes"), "passed");

  const failed = collector.results.get("wrong-replicas");
  assert.ok(failed);
  const [attempt] = failed.result.attempts;
  assert.ok(attempt?.artifactsDir);
  assert.equal(basename(attempt.artifactsDir), artifactsFolderName(failed.test, 0));
  const attachments = attempt.attachments ?? [];
  const byName = new Map(attachments.map((a) => [a.name, a]));
  for (const attachment of attachments) {
    assert.ok(existsSync(attachment.path), `${attachment.name} exists at ${attachment.path}`);
    assert.equal(attachment.path, join(attempt.artifactsDir, attachment.name));
    const expected = attachment.name.endsWith(".yaml")
      ? "application/yaml"
      : attachment.name.endsWith(".patch")
        ? "text/x-diff"
        : "text/plain";
    assert.equal(attachment.contentType, expected, attachment.name);
    if (attachment.body !== undefined) assert.equal(attachment.body, await readFile(attachment.path, "utf8"));
  }
  assert.match(byName.get("failure.txt")?.body ?? "", /failing\/chainsaw-test\.yaml:35:17: Deployment/);
  assert.match(byName.get("diff.patch")?.body ?? "", /- {2}readyReplicas: 3\n\+ {2}readyReplicas: 1/);
  assert.ok(byName.has("events.txt"));
  const deployment = `objects/Deployment-${attempt.namespace}-web.yaml`;
  assert.match(await readFile(byName.get(deployment)?.path ?? "missing", "utf8"), /kind: Deployment/);
  assert.equal(collector.errors.length, 0);
});

test("runTests refuses before touching a cluster: no matching tests, a missing kubeconfig", async () => {
  const collector = new Collector();
  await assert.rejects(
    runTests({
      paths: ["selection"],
      rootDir: e2eFixtures,
      selection: { grep: /^nothing$/ },
      reporters: [collector],
    }),
    NoTestsError,
  );
  await assert.rejects(
    runTests({
      paths: ["selection"],
      rootDir: e2eFixtures,
      cluster: { kubeconfig: "/nonexistent/kubeconfig" },
    }),
    ClusterChoiceError,
  );
  assert.equal(collector.run, undefined, "no run began");
});

test("the reporter's onError receives a FailureDetail for a namespace left terminating", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  t.after(() => client.close());
  const collector = new Collector();
  const result = await runTests({
    paths: ["finalizer"],
    rootDir: e2eFixtures,
    cluster: { kubeconfig },
    reporters: [collector],
    reportDir: await reportDir(),
  });
  const namespace = collector.results.get("stuck-finalizer")?.result.attempts[0]?.namespace;
  if (namespace) {
    await client.request("PATCH", `/api/v1/namespaces/${namespace}/configmaps/held`, {
      body: { metadata: { finalizers: null } },
      contentType: "application/merge-patch+json",
    });
  }
  assert.equal(result.status, "passed");
  assert.equal(collector.errors.length, 1);
  const [error] = collector.errors;
  assert.equal(typeof error, "object");
  assert.match(
    error?.message ?? "",
    /^cleanup: namespace kp-stuck-finalizer-\w+ still terminating .*example\.com\/hold/,
  );
});

test("a test's failFast wins over the run's: true skips it after a failure, false runs it anyway", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const run = async (failFast: boolean): Promise<Collector> => {
    const collector = new Collector();
    await runTests({
      paths: ["fail-fast"],
      rootDir: runFixtures,
      cluster: { kubeconfig },
      reporters: [collector],
      workers: 1,
      failFast,
      reportDir: await reportDir(),
    });
    return collector;
  };
  const names = ["breaks", "fails-fast", "keeps-going", "follows-the-run"];
  const lenient = await run(false);
  assert.deepEqual(
    names.map((n) => lenient.status(n)),
    ["failed", "skipped", "passed", "passed"],
  );
  assert.match(lenient.results.get("fails-fast")?.result.skipReason ?? "", /fail-fast/);
  const strict = await run(true);
  assert.deepEqual(
    names.map((n) => strict.status(n)),
    ["failed", "skipped", "passed", "skipped"],
  );
});

test("a step's skipDelete wins over the test's: what each step created is kept or deleted", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  const roles = [
    "kp-run-step-kept",
    "kp-run-step-deleted",
    "kp-run-test-kept-step-deleted",
    "kp-run-test-kept",
  ];
  const path = (name: string): string => `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`;
  const removeAll = async (): Promise<void> => {
    for (const role of roles) await client.request("DELETE", path(role)).catch(() => undefined);
  };
  await removeAll();
  const collector = new Collector();
  t.after(async () => {
    await removeAll();
    const kept = collector.results.get("step-deletes")?.result.attempts[0]?.namespace;
    if (kept) await client.request("DELETE", `/api/v1/namespaces/${kept}`).catch(() => undefined);
    client.close();
  });
  const result = await runTests({
    paths: ["step-skip-delete"],
    rootDir: runFixtures,
    cluster: { kubeconfig },
    reporters: [collector],
    workers: 1,
    reportDir: await reportDir(),
  });
  assert.equal(result.status, "passed");
  const exists = async (name: string): Promise<boolean> => {
    const role = await client
      .request<{ metadata: { deletionTimestamp?: string } }>("GET", path(name))
      .catch(() => undefined);
    return role !== undefined && role.metadata.deletionTimestamp === undefined;
  };
  assert.deepEqual(await Promise.all(roles.map(async (role) => [role, await exists(role)])), [
    ["kp-run-step-kept", true],
    ["kp-run-step-deleted", false],
    ["kp-run-test-kept-step-deleted", false],
    ["kp-run-test-kept", true],
  ]);
});
