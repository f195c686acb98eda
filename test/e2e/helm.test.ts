import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources, type KubeObject } from "../../src/kube/resources.ts";
import { runCli, startCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";
import { tempProject } from "../support/project.ts";
import { waitUntil } from "../support/wait.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));
const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  name: "widgets.kit.kubeproof.dev",
};

type Crd = typeof crd;

const reportDir = (): Promise<string> => mkdtemp(join(tmpdir(), "kp-helm-report-"));

async function withResources<T>(kubeconfig: string, use: (resources: Resources) => Promise<T>): Promise<T> {
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  try {
    return await use(new Resources(client));
  } finally {
    client.close();
  }
}

test("a chart with a CRD and a Deployment installs with its values, and cleanup removes all of it", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  // The script's `helm status` finds the pinned helm on PATH, which the test's own PATH lacks.
  const result = await runCli(
    ["test", "helm", "--kubeconfig", kubeconfig, "--reporter", "line", "--report-dir", await reportDir()],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  await withResources(kubeconfig, async (resources) => {
    assert.equal(await resources.get(crd), undefined, "the chart's CRD is deleted at cleanup");
    const secrets = await resources.list({
      apiVersion: "v1",
      kind: "Secret",
      namespace: "",
      labelSelector: "owner=helm,name=widgets",
    });
    assert.deepEqual(
      secrets.items.map((s) => s.metadata.name),
      [],
      "helm's release record is deleted",
    );
  });
});

test("a failed install shows the chart's resources and their events", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const result = await runCli(
    [
      "test",
      "helm-failing",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line",
      "--report-dir",
      await reportDir(),
    ],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /helm upgrade --install stuck \.\.\/helm\/chart failed: /);
  assert.match(result.stdout, /resource Deployment kp-[\w-]+\/stuck-manager: 0\/1 ready, Available=False/);
  assert.match(result.stdout, /resource ConfigMap kp-[\w-]+\/stuck-settings: exists/);
  assert.match(result.stdout, /event \S+ {2}Warning {2}FailedScheduling {2}Pod\/stuck-manager-/);
});

/** The processes below `pid` (children, their children...) named `name`, from /proc. */
function descendants(pid: number, name: string): number[] {
  const parents = new Map<number, number[]>();
  const names = new Map<number, string>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // Gone meanwhile.
    }
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after its last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    names.set(Number(entry), stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")));
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const child of parents.get(parent) ?? []) {
      if (names.get(child) === name) found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** The CRDs of the interrupted chart: its crds/, its subchart's crds/, and a disabled subchart's crds/. */
const interruptedCrds = ["gizmos", "sprockets", "leftovers"].map((plural) => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  name: `${plural}.interrupted.kubeproof.dev`,
}));

test("kubeproof clean removes what a run killed during helm's install made, outside its namespace and crds/ too", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  if (process.platform !== "linux") return t.skip("finds helm's process in /proc");
  t.after(() =>
    // Whatever the test left (it failed half-way), so that a rerun starts without these CRDs.
    withResources(kubeconfig, async (resources) => {
      for (const crd of interruptedCrds) await resources.delete(crd).catch(() => undefined);
    }),
  );
  await withResources(kubeconfig, async (resources) => {
    for (const crd of interruptedCrds)
      assert.equal(await resources.get(crd), undefined, `${crd.name} is absent before the run`);
    const records = (): ReturnType<Resources["list"]> =>
      resources.list({
        apiVersion: "v1",
        kind: "Secret",
        namespace: "",
        labelSelector: "owner=helm,name=interrupted",
      });
    const before = new Set((await records()).items.map((s) => s.metadata.uid));
    const run = startCli(["test", "helm-interrupted", "--kubeconfig", kubeconfig, "--reporter", "line"], {
      cwd: fixtures,
    });
    let helm: number[] = [];
    t.after(() => {
      run.child.kill("SIGKILL");
      for (const pid of helm) {
        try {
          process.kill(-pid, "SIGKILL"); // helm runs in its own process group.
        } catch {
          // Gone already.
        }
      }
    });
    // helm has written its record and created the chart's objects; it now waits for the Deployment.
    const { record, role } = await waitUntil(
      "helm to create the chart's ClusterRole",
      async () => {
        const record = (await records()).items.find((s) => !before.has(s.metadata.uid));
        if (!record) return undefined;
        const role = {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          name: `${record.metadata.namespace}-reader`,
        };
        return (await resources.get(role)) ? { record, role } : undefined;
      },
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${run.output().stdout}${run.output().stderr}`);
    });
    helm = descendants(run.child.pid!, "helm");
    assert.equal(helm.length, 1, "helm runs below the killed CLI");
    run.child.kill("SIGKILL");
    await run.result;
    const runId = record.metadata.labels?.["kubeproof.dev/run"];
    assert.ok(runId, "helm's release record carries the run label (helm's --labels)");
    assert.ok(await resources.get(role), "nothing deleted the ClusterRole: the run was killed");
    const [gizmos, sprockets, leftovers] = interruptedCrds as [Crd, Crd, Crd];
    for (const crd of [gizmos, sprockets]) {
      const labels = (await resources.get(crd))?.metadata.labels ?? {};
      assert.equal(labels["kubeproof.dev/run"], runId, `${crd.name} was created with the run label`);
    }
    assert.equal(await resources.get(leftovers), undefined, "a disabled subchart's crds/ are not installed");

    const clean = await runCli(["clean", "--run", runId, "--kubeconfig", kubeconfig]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, new RegExp(`^deleted ClusterRole ${role.name}$`, "m"));
    assert.match(clean.stdout, new RegExp(`^deleted Namespace ${record.metadata.namespace}$`, "m"));
    assert.equal(await resources.get(role), undefined, "the chart's ClusterRole is gone");
    for (const crd of [gizmos, sprockets]) {
      assert.match(clean.stdout, new RegExp(`^deleted CustomResourceDefinition ${crd.name}$`, "m"));
      // A CRD goes once the API server has removed its objects: wait for that, not for a wall-clock time.
      await waitUntil(
        `${crd.name} (crds/) to be gone`,
        async () => !(await resources.get(crd)) || undefined,
        60_000,
      );
    }
  });
});

test("a crds/ CRD that exists already is left as it is; the ones the run installed go at cleanup", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const [gizmos, sprockets] = interruptedCrds as [Crd, Crd];
  t.after(() =>
    withResources(kubeconfig, async (resources) => {
      for (const crd of interruptedCrds) await resources.delete(crd).catch(() => undefined);
    }),
  );
  const dir = tempProject({
    "chainsaw-test.yaml": [
      "apiVersion: kubeproof.dev/v1alpha1",
      "kind: Test",
      "metadata: { name: crds-kept }",
      "spec:",
      "  steps:",
      "    - try:",
      // The interrupted chart without --wait: its Deployment never schedules, which is not waited for.
      `        - helm: { release: kept, chart: ${join(fixtures, "helm-interrupted/chart")}, wait: false }`,
      "",
    ].join("\n"),
  });
  await withResources(kubeconfig, async (resources) => {
    const chartFile = readFileSync(join(fixtures, "helm-interrupted/chart/crds/gizmos.yaml"), "utf8");
    const existing = parseDocument(chartFile).toJS() as KubeObject;
    existing.metadata.labels = { "example.dev/owner": "someone-else" };
    // The test before deletes these CRDs as it ends, without waiting for them to go.
    for (const crd of interruptedCrds)
      await waitUntil(
        `${crd.name} to be absent`,
        async () => !(await resources.get(crd)) || undefined,
        60_000,
      );
    await resources.create(existing);
    const result = await runCli(["test", ".", "--kubeconfig", kubeconfig, "--reporter", "line"], {
      cwd: dir,
    });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const kept = await resources.get(gizmos);
    assert.ok(kept, "the CRD that existed before is not deleted at cleanup");
    assert.deepEqual(kept.metadata.labels, { "example.dev/owner": "someone-else" }, "nor labelled");
    await waitUntil(
      "the subchart's CRD the run installed to be gone",
      async () => !(await resources.get(sprockets)) || undefined,
      60_000,
    );
  });
});

test("a helm release name helm would refuse is a usage error at its position, before any cluster", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kp-helm-bad-"));
  await writeFile(
    join(dir, "chainsaw-test.yaml"),
    [
      "apiVersion: kubeproof.dev/v1alpha1",
      "kind: Test",
      "metadata: { name: bad }",
      "spec:",
      "  steps:",
      "    - try:",
      "        - helm: { release: Not_Valid, chart: ./chart }",
      "",
    ].join("\n"),
  );
  const result = await runCli(["test", ".", "--kubeconfig", "/nonexistent"], { cwd: dir });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /^chainsaw-test\.yaml:7:\d+: .*release.*lowercase letters, digits and '-'/m);
});
