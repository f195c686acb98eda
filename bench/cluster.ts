/**
 * `npm run bench:cluster [-- --starts N] [-- --real-nodes 1|2]`: warm starts of the embedded local cluster
 * (binaries already installed). Prints each start, then medians; the last line is
 * `apiReadyMs=<n> nodesReadyMs=<n> teardownMs=<n> failedStarts=<n>`, with `realNodeReadyMs=<n>`
 * (the real node Ready, from the start) and `firstPodRunningMs=<n>` (a pod of a loaded image, from
 * its creation to Running) after nodesReadyMs when real nodes are asked for.
 * A start that fails is printed with its error and counted, and the bench goes on; it exits 1 when
 * any start failed.
 *   --starts N (default 5, or BENCH_RUNS)  BENCH_NODES=2 (default)
 */
import { rmSync } from "node:fs";
import { mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { installBinaries } from "../src/cluster/install/index.ts";
import { startLocalCluster, type LocalCluster } from "../src/cluster/local-cluster.ts";
import { kubeproofHome } from "../src/cluster/paths.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { builtinImages } from "../src/cluster/providers/real/images.ts";
import { readState } from "../src/cluster/state.ts";
import { allComponents } from "../src/cluster/versions.ts";
import { KubeClient } from "../src/kube/client.ts";
import { loadKubeconfig } from "../src/kube/kubeconfig.ts";
import { median } from "./stats.ts";

const { values } = parseArgs({ options: { starts: { type: "string" }, "real-nodes": { type: "string" } } });
const starts = Number(values.starts ?? process.env.BENCH_RUNS ?? 5);
const nodes = Number(process.env.BENCH_NODES ?? 2);
const realNodes = Number(values["real-nodes"] ?? 0);

/** Creates a busybox pod on the real node and measures creation → Running, then deletes it. */
async function firstPodRunningMs(kubeconfig: string): Promise<number> {
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  try {
    const started = performance.now();
    await client.request("POST", "/api/v1/namespaces/default/pods", {
      body: {
        metadata: { name: "bench-first-pod" },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: "main", image: builtinImages.busybox, command: ["sleep", "3600"] }],
        },
      },
    });
    for (;;) {
      const pod = await client.request<{ status?: { phase?: string } }>(
        "GET",
        "/api/v1/namespaces/default/pods/bench-first-pod",
      );
      if (pod.status?.phase === "Running") return Math.round(performance.now() - started);
      if (performance.now() - started > 120_000) throw new Error("the first pod was not Running after 2m");
      await sleep(20);
    }
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  if (!Number.isInteger(starts) || starts < 1) throw new Error(`--starts must be a whole number >= 1`);
  // Resolve binaries once from the real cache; each start gets a fresh state home of its own.
  const binaries = await installBinaries({
    home: kubeproofHome(),
    components: realNodes > 0 ? allComponents : undefined,
  });
  const binDir = await mkdtemp(join(tmpdir(), "kp-bench-bin-"));
  for (const [name, path] of Object.entries(binaries)) await symlink(path, join(binDir, name));
  const home = await mkdtemp(join(tmpdir(), "kp-bench-home-"));
  // Every start is stopped by then; the folders only hold links and emptied cluster state.
  process.once("exit", () => {
    for (const dir of [binDir, home]) rmSync(dir, { recursive: true, force: true });
  });

  const api: number[] = [];
  const ready: number[] = [];
  const teardown: number[] = [];
  const realReady: number[] = [];
  const firstPod: number[] = [];
  let failedStarts = 0;
  // One unmeasured start warms the page cache for the binaries, so every measured start is "warm".
  for (let i = -1; i < starts; i++) {
    const label = i < 0 ? "warm-up" : `start ${i + 1}/${starts}`;
    let cluster: LocalCluster;
    try {
      cluster = await startLocalCluster({
        name: `bench-${i + 1}`,
        nodes: { kwok: nodes, real: realNodes },
        home,
        install: { binDir },
      });
    } catch (error) {
      failedStarts += 1;
      console.log(`${label}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    let realFigures = "";
    if (realNodes > 0) {
      const state = await readState(cluster.name, home);
      // With more than one real node: when the last of them was Ready.
      const realParts = (state?.parts ?? []).filter(
        (part) => part.provider === "real" && part.nodes.length > 0,
      );
      const readyTimes = realParts.flatMap((part) => (part.readyMs === undefined ? [] : [part.readyMs]));
      const nodeReady =
        readyTimes.length === realParts.length && readyTimes.length > 0 ? Math.max(...readyTimes) : undefined;
      const podMs = await firstPodRunningMs(cluster.kubeconfig).catch((error: unknown) => {
        console.log(`${label}: first pod: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      if (i >= 0 && nodeReady !== undefined) realReady.push(nodeReady);
      if (i >= 0 && podMs !== undefined) firstPod.push(podMs);
      realFigures = ` realNodeReadyMs=${nodeReady ?? "-"} firstPodRunningMs=${podMs ?? "-"}`;
    }
    const stopStart = performance.now();
    await cluster.stop();
    const stopMs = Math.round(performance.now() - stopStart);
    if (i < 0) continue;
    api.push(cluster.timings.apiReadyMs);
    ready.push(cluster.timings.nodesReadyMs);
    teardown.push(stopMs);
    console.log(
      `${label}: apiReadyMs=${cluster.timings.apiReadyMs} nodesReadyMs=${cluster.timings.nodesReadyMs}${realFigures} teardownMs=${stopMs}`,
    );
  }
  const shape = realNodes > 0 ? `${nodes} kwok and ${realNodes} real nodes` : `${nodes} nodes`;
  console.log(`medians over ${api.length} successful warm starts of ${starts} with ${shape}:`);
  const m = (values: number[]): string => (values.length ? String(median(values)) : "-");
  const real = realNodes > 0 ? ` realNodeReadyMs=${m(realReady)} firstPodRunningMs=${m(firstPod)}` : "";
  const figures = `apiReadyMs=${m(api)} nodesReadyMs=${m(ready)}${real} teardownMs=${m(teardown)}`;
  console.log(`${figures} failedStarts=${failedStarts}`);
  if (failedStarts > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
