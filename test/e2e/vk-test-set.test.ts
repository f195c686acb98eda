import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { criLogLines } from "../../src/cluster/kwok-config.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixture = fileURLToPath(new URL("../fixtures/e2e/vk-test-set/", import.meta.url));

/** What each scripted kwok pod "logged". */
const LOGS: Record<string, string[]> = {
  exists: ["starting", "hello world"],
  counts: ["tick", "tick", "tock", "tick", "result=done"],
  toomany: ["error", "error", "error"],
  failing: ["about to fail"],
  expected: ["failing on purpose"],
  silent: ["nothing to see"],
};

interface Suite {
  dir: string;
  namespace: string;
  client: KubeClient;
}

/** The fixture suite in a temporary directory, with its log files and its own namespace. */
async function prepare(t: TestContext, kubeconfig: string): Promise<Suite> {
  const dir = await mkdtemp(join(tmpdir(), "kp-vk-"));
  const namespace = `vk-e2e-${Math.random().toString(36).slice(2, 8)}`;
  await cp(fixture, dir, { recursive: true });
  for (const [name, lines] of Object.entries(LOGS))
    await writeFile(join(dir, `${name}.log`), criLogLines(lines));
  const files = [
    join(dir, "vktest_config.yaml"),
    ...(await readdir(join(dir, "templates"))).map((f) => join(dir, "templates", f)),
  ];
  for (const file of files) {
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replaceAll("@LOGDIR@", dir).replaceAll("@NAMESPACE@", namespace));
  }
  const client = await KubeClient.fromKubeconfig({ path: kubeconfig });
  await client.request("POST", "/api/v1/namespaces", {
    body: { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
  });
  t.after(async () => {
    await client.request("DELETE", `/api/v1/namespaces/${namespace}`).catch(() => undefined);
    client.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { dir, namespace, client };
}

async function podsOf(suite: Suite, kase: string): Promise<string[]> {
  const list = await suite.client.request<{
    items: { metadata: { name: string; deletionTimestamp?: string } }[];
  }>("GET", `/api/v1/namespaces/${suite.namespace}/pods`, { query: { labelSelector: `vk-case=${kase}` } });
  // A deleted pod may still be in its grace period: clean_configs, as upstream, does not wait for it.
  return list.items.filter((p) => p.metadata.deletionTimestamp === undefined).map((p) => p.metadata.name);
}

function verdicts(junit: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of junit.matchAll(
    /<testcase name="([^"]+)" classname="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g,
  )) {
    assert.equal(m[2], "vktestset.basic_test");
    out[m[1]] = /<failure/.test(m[4] ?? "") ? "failed" : "passed";
  }
  return out;
}

test("a vk-test-set suite runs unchanged on kwok: upstream's ids and verdicts, conditional clean-up", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const suite = await prepare(t, kubeconfig);
  const junit = join(suite.dir, "junit.xml");
  const result = await runCli(
    ["test", ".", "--kubeconfig", kubeconfig, "--reporter", `line,junit=${junit}`],
    {
      cwd: suite.dir,
    },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const node = "kwok-node-0";
  const manifest = (file: string): string => `test_manifest[${node}-${file}.yaml]`;
  assert.deepEqual(verdicts(await readFile(junit, "utf8")), {
    [`test_namespace_exists[${suite.namespace}]`]: "passed",
    [`test_node_exists[${node}]`]: "passed",
    [manifest("000-exists")]: "passed",
    [manifest("010-counts")]: "passed",
    [manifest("020-too-many")]: "failed",
    [manifest("030-failed-pod")]: "failed",
    [manifest("040-expected-failure")]: "passed",
    [manifest("050-config-map")]: "passed",
    [manifest("060-timeout")]: "failed",
    [manifest("070-job-prefix")]: "failed",
    [manifest("080-no-timeout")]: "failed",
  });
  // Failing at once, not at the timeout: CountAtMost exceeded, a Failed pod, a pod read by a name no pod has.
  assert.match(result.stdout, /error\/ found 3 times, expected at most 1/);
  assert.match(result.stdout, /phase Failed \(.*container main exited with 1.*\), expected Succeeded/);
  assert.match(result.stdout, /batch-[0-9a-f-]+-: not found/);
  assert.match(result.stdout, /log assertion Exists not met within 2s/);
  assert.match(result.stdout, /upstream vk-test-set fails this template: it has no timeout_seconds/);
  // clean_configs by condition: onSuccess and onFailure deleted their pods, never kept it.
  assert.deepEqual(await podsOf(suite, "exists"), []);
  assert.deepEqual(await podsOf(suite, "toomany"), []);
  assert.equal((await podsOf(suite, "failing")).length, 1);
  assert.deepEqual(await podsOf(suite, "configmap"), []);
});

test("vk-test-set: --grep and a copy-pasted id select one test; --vk-test-set-fixes fixes upstream's bugs", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const suite = await prepare(t, kubeconfig);
  const listed = await runCli(["test", ".", "--grep", "070-job", "--list"], { cwd: suite.dir });
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stdout, /^vktest_config\.yaml::test_manifest\[kwok-node-0-070-job-prefix\.yaml\]/m);
  assert.match(listed.stdout, /^1 test\(s\)$/m);
  const id = "vktest_config.yaml::test_manifest[kwok-node-0-080-no-timeout.yaml]";
  const byId = await runCli(["test", id, "--list"], { cwd: suite.dir });
  assert.match(byId.stdout, /^1 test\(s\)$/m, byId.stdout + byId.stderr);
  const fixed = await runCli(
    [
      "test",
      ".",
      "--grep",
      "070-job|080-no",
      "--vk-test-set-fixes",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line",
    ],
    { cwd: suite.dir },
  );
  assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  assert.match(fixed.stdout, /2 passed/);
});
