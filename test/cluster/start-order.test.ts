import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { access, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startLocalCluster, type ClusterEvent } from "../../src/cluster/local-cluster.ts";
import { readState } from "../../src/cluster/state.ts";
import { binDirFor } from "../support/binaries.ts";
import { runCli, startCli } from "../support/cli.ts";
import { processesMentioning } from "../support/processes.ts";
import { waitUntil } from "../support/wait.ts";

const dependents = ["kube-controller-manager", "kube-scheduler", "kwok"];

test("what talks to the API server starts only after it is ready, and cluster.json records when", async (t) => {
  const binDir = await binDirFor(t);
  if (!binDir) return;
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  const events: ClusterEvent[] = [];
  const cluster = await startLocalCluster({
    name: "order",
    home,
    install: { binDir },
    onEvent: (event) => events.push(event),
  });
  t.after(() => cluster.stop());

  // The events come in the order the launcher did things.
  const steps = events.flatMap((e) => (e.type === "cluster-part" ? [`${e.part} ${e.phase}`] : []));
  const apiReady = steps.indexOf("kube-apiserver ready");
  assert.ok(apiReady >= 0, `no "kube-apiserver ready" in ${steps.join(", ")}`);
  for (const part of dependents) {
    const started = steps.indexOf(`${part} started`);
    assert.ok(
      started > apiReady,
      `${part} started at step ${started}, the API server was ready at ${apiReady}`,
    );
    assert.ok(steps.indexOf(`${part} ready`) > started, `${part} became ready after it started`);
  }

  const state = await readState("order", home);
  assert.ok(state);
  const part = (name: string) => state.parts.find((p) => p.name === name);
  assert.deepEqual(
    state.parts.map((p) => [p.name, p.after, p.processes.map((process) => process.name)]),
    [
      ["etcd", [], ["etcd"]],
      ["kube-apiserver", [], ["kube-apiserver"]],
      ["kube-controller-manager", ["kube-apiserver"], ["kube-controller-manager"]],
      ["kube-scheduler", ["kube-apiserver"], ["kube-scheduler"]],
      ["kwok", ["kube-apiserver"], ["kwok"]],
    ],
  );
  assert.deepEqual([part("kwok")?.provider, part("kwok")?.nodes], ["kwok", ["kwok-node-0"]]);
  const apiReadyMs = part("kube-apiserver")?.readyMs ?? Infinity;
  for (const name of dependents) assert.ok((part(name)?.startedMs ?? -1) >= apiReadyMs, name);
  assert.equal(state.timings.apiReadyMs, apiReadyMs);
});

test("down after kubeproof was killed mid-start stops every process the start had begun", async (t) => {
  const binDir = await binDirFor(t);
  if (!binDir) return;
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  const env = { KUBEPROOF_HOME: home };
  const name = `crash-${randomBytes(3).toString("hex")}`;
  const dir = join(home, "clusters", name);
  const up = startCli(["cluster", "up", "--name", name, "--bin-dir", binDir], { env });
  t.after(() => runCli(["cluster", "down", "--name", name], { env }));
  // Killed once the API server runs: some parts have processes, the ones after it may not yet.
  await waitUntil("the API server's process in cluster.json", async () => {
    const state = await readState(name, home);
    return state?.parts.some((p) => p.name === "kube-apiserver" && p.processes.length > 0);
  });
  up.child.kill("SIGKILL");
  await up.result;
  assert.ok((await processesMentioning(dir)).length >= 2, "etcd and the API server outlive kubeproof");

  const down = await runCli(["cluster", "down", "--name", name], { env });
  assert.equal(down.code, 0, down.stderr);
  assert.deepEqual(await processesMentioning(dir), [], "no process of the cluster is left");
  await assert.rejects(access(dir), "the cluster's state directory is removed");
});
