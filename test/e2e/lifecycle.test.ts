import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { findBinaries } from "../../src/cluster/install/index.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { runCli, startCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";
import { waitUntil } from "../support/wait.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

interface Items {
  items: { metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string } }[];
}

test("a test that fails and then passes on a retry is flaky, and the run passes", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const dir = await mkdtemp(join(tmpdir(), "kp-flaky-"));
  const result = await runCli(
    [
      "test",
      "flaky",
      "--kubeconfig",
      kubeconfig,
      "--retries",
      "1",
      "--set",
      `marker=${join(dir, "marker")}`,
      "--reporter",
      "line,json",
      "--report-dir",
      dir,
    ],
    { cwd: fixtures },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const json = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
  const [flaky] = json.results.tests;
  assert.deepEqual(
    { status: flaky.status, flaky: flaky.flaky, retries: flaky.retries },
    { status: "passed", flaky: true, retries: 1 },
  );
  assert.match(result.stdout, /1 flaky/);

  const noRetry = await runCli(
    [
      "test",
      "flaky",
      "--kubeconfig",
      kubeconfig,
      "--set",
      `marker=${join(dir, "other")}`,
      "--reporter",
      "dot",
      "--report-dir",
      join(dir, "second"),
    ],
    { cwd: fixtures },
  );
  assert.equal(noRetry.code, 1);
  assert.match(noRetry.stdout, /first attempt fails/);
});

test("SIGINT stops the run, cleans up what it created, and exits 130", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  t.after(() => client.close());
  const run = startCli(["test", "slow", "--kubeconfig", kubeconfig, "--reporter", "line"], { cwd: fixtures });
  const namespace = await waitUntil("the slow test's namespace and ConfigMap", async () => {
    const namespaces = await client.request<Items>("GET", "/api/v1/namespaces");
    const ns = namespaces.items.find(
      (n) => n.metadata.name.startsWith("kp-slow-") && !n.metadata.deletionTimestamp,
    );
    if (!ns) return undefined;
    const cms = await client.request<Items>("GET", `/api/v1/namespaces/${ns.metadata.name}/configmaps`);
    return cms.items.some((c) => c.metadata.name === "left-behind") ? ns.metadata.name : undefined;
  });
  run.child.kill("SIGINT");
  const result = await run.result;
  assert.equal(result.code, 130, result.stdout + result.stderr);
  assert.match(result.stdout, /interrupted/);
  // The created ConfigMap was deleted and the namespace is gone or going.
  const left = await client
    .request<Items>("GET", `/api/v1/namespaces/${namespace}/configmaps`)
    .catch(() => ({ items: [] }));
  assert.equal(left.items.filter((c) => c.metadata.name === "left-behind").length, 0);
  const ns = await client
    .request<Items["items"][number]>("GET", `/api/v1/namespaces/${namespace}`)
    .catch(() => undefined);
  assert.ok(!ns || ns.metadata.deletionTimestamp, "the namespace is being deleted");
});

test("kubeproof clean removes what a run left behind (--skip-delete), found by its run label", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const dir = await mkdtemp(join(tmpdir(), "kp-clean-"));
  const kept = await runCli(
    [
      "test",
      "all-ops",
      "--kubeconfig",
      kubeconfig,
      "--skip-delete",
      "--reporter",
      "json",
      "--report-dir",
      dir,
    ],
    { cwd: fixtures },
  );
  assert.equal(kept.code, 0, kept.stdout + kept.stderr);
  const runId: string = JSON.parse(await readFile(join(dir, "report.json"), "utf8")).results.extra.runId;
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  t.after(() => client.close());
  const labelled = await client.request<Items>("GET", "/api/v1/namespaces", {
    query: { labelSelector: `kubeproof.dev/run=${runId}` },
  });
  assert.equal(labelled.items.length, 1, "--skip-delete left the test namespace");

  const dry = await runCli(["clean", "--run", runId, "--dry-run", "--kubeconfig", kubeconfig]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`would delete Namespace ${labelled.items[0].metadata.name}`));
  const clean = await runCli(["clean", "--run", runId, "--kubeconfig", kubeconfig]);
  assert.equal(clean.code, 0, clean.stderr);
  assert.match(clean.stdout, new RegExp(`deleted Namespace ${labelled.items[0].metadata.name}`));
  await waitUntil("the namespace to be deleted", async () => {
    const ns = await client.request<Items>("GET", "/api/v1/namespaces", {
      query: { labelSelector: `kubeproof.dev/run=${runId}` },
    });
    return ns.items.every((n) => n.metadata.deletionTimestamp);
  });
});

test("with --context, scripts get a $KUBECONFIG that selects that context", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const binaries = await findBinaries();
  assert.ok(binaries, "cluster binaries are installed");
  const real = parse(await readFile(kubeconfig, "utf8")) as Record<string, any>;
  // The file's current context points nowhere; only --context makes the run, and its scripts, work.
  real.clusters.push({ name: "nowhere", cluster: { server: "https://127.0.0.1:9" } });
  real.contexts.push({ name: "nowhere", context: { cluster: "nowhere", user: real.users[0].name } });
  const realContext = real["current-context"];
  real["current-context"] = "nowhere";
  const dir = await mkdtemp(join(tmpdir(), "kp-context-"));
  const file = join(dir, "kubeconfig");
  await writeFile(file, stringify(real));
  const result = await runCli(
    ["test", "context", "--kubeconfig", file, "--context", realContext, "--reporter", "line"],
    {
      cwd: fixtures,
      env: { KUBECTL: binaries.kubectl },
    },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, new RegExp(`against context "${realContext}"`));
});

test("a namespace kept by a finalizer is reported with the finalizer that blocks it", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  t.after(() => client.close());
  const dir = await mkdtemp(join(tmpdir(), "kp-finalizer-"));
  const result = await runCli(
    ["test", "finalizer", "--kubeconfig", kubeconfig, "--reporter", "line,json", "--report-dir", dir],
    { cwd: fixtures },
  );
  // Release the finalizer whatever happened, so the namespace can go.
  const held = await client.request<Items>("GET", "/api/v1/configmaps", {
    query: { labelSelector: "kubeproof.dev/run" },
  });
  for (const cm of held.items.filter((c) => c.metadata.name === "held")) {
    const ns = (cm.metadata as { namespace?: string }).namespace!;
    await client.request("PATCH", `/api/v1/namespaces/${ns}/configmaps/held`, {
      body: { metadata: { finalizers: null } },
      contentType: "application/merge-patch+json",
    });
  }
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const json = JSON.parse(await readFile(join(dir, "report.json"), "utf8"));
  assert.match(
    json.results.tests[0].extra.cleanupWarnings.join("\n"),
    /ConfigMap .*\/held still has finalizers example\.com\/hold after 2s/,
  );
  assert.match(
    result.stdout,
    /namespace kp-stuck-finalizer-[0-9a-f]{6} still terminating after 2s: .*example\.com\/hold/,
  );
  // Terminal too: the object-level warning of a passing test is printed before the summary.
  assert.match(
    result.stdout,
    /cleanup: finalizer\/chainsaw-test\.yaml:2 › stuck-finalizer: ConfigMap .*\/held still has finalizers example\.com\/hold/,
  );
});

test("a test that names its namespace runs in it, and a namespace the run created is deleted", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  t.after(() => client.close());
  const result = await runCli(["test", "named-namespace", "--kubeconfig", kubeconfig, "--reporter", "line"], {
    cwd: fixtures,
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const ns = await client
    .request<Items["items"][number]>("GET", "/api/v1/namespaces/kubeproof-named-ns")
    .catch(() => undefined);
  assert.ok(!ns || ns.metadata.deletionTimestamp, "the namespace the run created is deleted");
});

test("a namespace several tests name is created once and deleted after the last of them", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  t.after(() => client.close());
  const result = await runCli(
    ["test", "shared-namespace", "--kubeconfig", kubeconfig, "--workers", "2", "--reporter", "line"],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /2 passed/);
  const ns = await client
    .request<Items["items"][number]>("GET", "/api/v1/namespaces/kubeproof-shared-ns")
    .catch(() => undefined);
  assert.ok(!ns || ns.metadata.deletionTimestamp, "the run deletes the namespace it created");
});
