import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { findBinaries } from "../../src/cluster/install/index.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources } from "../../src/kube/resources.ts";
import { normalize, runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

/** What the set-ups of these fixtures leave in the cluster, as kuttl leaves them: removed here. */
const LEFT_BEHIND = [
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    name: "widgets.setup.kubeproof.test",
  },
  {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    name: "gadgets.setup.kubeproof.test",
  },
  { apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "kp-setup-config" },
  { apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "kp-setup-chainsaw" },
];

async function resources(kubeconfig: string): Promise<{ resources: Resources; close(): void }> {
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  return { resources: new Resources(client), close: () => client.close() };
}

after(async () => {
  const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
  if (!kubeconfig) return;
  const cluster = await resources(kubeconfig);
  for (const ref of LEFT_BEHIND) await cluster.resources.delete(ref).catch(() => []);
  cluster.close();
});

interface CtrfTest {
  name: string;
  status: string;
  message?: string;
}

async function report(dir: string): Promise<CtrfTest[]> {
  const parsed = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as {
    results: { tests: CtrfTest[] };
  };
  return parsed.results.tests;
}

/** Whether the process is still there (signal 0 checks without signalling). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function backgroundPid(file: string): Promise<number> {
  const pid = Number.parseInt((await readFile(file, "utf8")).trim(), 10);
  assert.ok(pid > 0, `a pid in ${file}`);
  return pid;
}

async function kubectl(): Promise<string> {
  const binaries = await findBinaries();
  assert.ok(binaries?.kubectl, "cluster binaries are installed");
  return binaries.kubectl;
}

test("a kuttl suite installs its CRDs and manifests and runs its commands before the tests", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const work = await mkdtemp(join(tmpdir(), "kp-setup-"));
  const pidFile = join(work, "background.pid");
  const result = await runCli(
    ["test", "kuttl-setup", "--kubeconfig", kubeconfig, "--reporter", "line,json", "--report-dir", work],
    { cwd: fixtures, env: { KUBECTL: await kubectl(), SETUP_PID_FILE: pidFile } },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const tests = await report(work);
  assert.deepEqual(
    tests.map((x) => `${x.name}: ${x.status}`),
    ["widget: passed"],
  );
  const out = normalize(result.stdout);
  assert.match(out, /set-up \(kuttl-setup\/kuttl-test\.yaml:3:1\): 1 CRD, 2 objects, 2 commands/);
  // The background command served the test (its step checked it) and was stopped at the end.
  assert.equal(alive(await backgroundPid(pidFile)), false, "the background command is stopped");
  // Nothing the set-up installed is deleted, as in kuttl.
  const cluster = await resources(kubeconfig);
  t.after(() => cluster.close());
  const crd = await cluster.resources.get(LEFT_BEHIND[0]);
  assert.ok(crd, "the CRD stays");
});

test("a failing set-up command fails every test with its message, and no test runs", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const work = await mkdtemp(join(tmpdir(), "kp-setup-"));
  const never = join(work, "never");
  const result = await runCli(
    [
      "test",
      "kuttl-setup-failing",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line,json",
      "--report-dir",
      work,
    ],
    { cwd: fixtures, env: { SETUP_NEVER_FILE: never } },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const message =
    'set-up of kuttl-setup-failing/kuttl-test.yaml:2:1 failed: script "echo "the operator image is missing" >&2; exit 3": exit status 3\nthe operator image is missing';
  const tests = await report(work);
  assert.deepEqual(
    tests.map((x) => [x.name, x.status, x.message]),
    [
      ["first", "failed", message],
      ["second", "failed", message],
    ],
  );
  const out = normalize(result.stdout);
  // Said once for the run too, with where the failing command is written.
  assert.ok(out.includes(`error: kuttl-setup-failing/kuttl-test.yaml:7:5: ${message.split("\n")[0]}`), out);
  assert.equal(existsSync(never), false, "commands after the failing one do not run");
});

test("kubeproof.yaml setup does the same for Chainsaw tests", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const work = await mkdtemp(join(tmpdir(), "kp-setup-"));
  const pidFile = join(work, "background.pid");
  const result = await runCli(
    [
      "test",
      "chainsaw-setup",
      "--config",
      "chainsaw-setup/kubeproof.yaml",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line,json",
      "--report-dir",
      work,
    ],
    { cwd: fixtures, env: { KUBECTL: await kubectl(), SETUP_PID_FILE: pidFile } },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.deepEqual(
    (await report(work)).map((x) => `${x.name}: ${x.status}`),
    ["gadget: passed"],
  );
  assert.match(
    normalize(result.stdout),
    /set-up \(chainsaw-setup\/kubeproof\.yaml:6:3\): 1 CRD, 1 object, 2 commands/,
  );
  assert.equal(alive(await backgroundPid(pidFile)), false, "the background command is stopped");
});

test("a crdDir that does not exist stops the run with file:line:col before anything is applied", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const result = await runCli(["test", "kuttl-setup-invalid", "--kubeconfig", kubeconfig], { cwd: fixtures });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    /kuttl-setup-invalid\/kuttl-test\.yaml:6:1: crdDir: CRD directory "\.\/crds" not found/,
  );
  const cluster = await resources(kubeconfig);
  t.after(() => cluster.close());
  const never = await cluster.resources.get({
    apiVersion: "v1",
    kind: "ConfigMap",
    namespace: "default",
    name: "kp-setup-never",
  });
  assert.equal(never, undefined, "the manifests were not applied");
});
