/**
 * `npm run bench:cluster [-- --starts N]`: warm starts of the embedded local cluster (binaries already
 * installed). Prints each start, then medians; the last line is
 * `apiReadyMs=<n> nodesReadyMs=<n> teardownMs=<n> failedStarts=<n>`.
 * A start that fails is printed with its error and counted, and the bench goes on; it exits 1 when
 * any start failed.
 *   --starts N (default 5, or BENCH_RUNS)  BENCH_NODES=2 (default)
 */
import { mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { installBinaries } from "../src/cluster/install/index.ts";
import { startLocalCluster, type LocalCluster } from "../src/cluster/local-cluster.ts";
import { kubeproofHome } from "../src/cluster/paths.ts";
import { median } from "./stats.ts";

const { values } = parseArgs({ options: { starts: { type: "string" } } });
const starts = Number(values.starts ?? process.env.BENCH_RUNS ?? 5);
const nodes = Number(process.env.BENCH_NODES ?? 2);

async function main(): Promise<void> {
  if (!Number.isInteger(starts) || starts < 1) throw new Error(`--starts must be a whole number >= 1`);
  // Resolve binaries once from the real cache; each start gets a fresh state home of its own.
  const binaries = await installBinaries({ home: kubeproofHome() });
  const binDir = await mkdtemp(join(tmpdir(), "kp-bench-bin-"));
  for (const [name, path] of Object.entries(binaries)) await symlink(path, join(binDir, name));
  const home = await mkdtemp(join(tmpdir(), "kp-bench-home-"));

  const api: number[] = [];
  const ready: number[] = [];
  const teardown: number[] = [];
  let failedStarts = 0;
  // One unmeasured start warms the page cache for the binaries, so every measured start is "warm".
  for (let i = -1; i < starts; i++) {
    const label = i < 0 ? "warm-up" : `start ${i + 1}/${starts}`;
    let cluster: LocalCluster;
    try {
      cluster = await startLocalCluster({ name: `bench-${i + 1}`, nodes, home, install: { binDir } });
    } catch (error) {
      failedStarts += 1;
      console.log(`${label}: FAILED: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const stopStart = performance.now();
    await cluster.stop();
    const stopMs = Math.round(performance.now() - stopStart);
    if (i < 0) continue;
    api.push(cluster.timings.apiReadyMs);
    ready.push(cluster.timings.nodesReadyMs);
    teardown.push(stopMs);
    console.log(
      `${label}: apiReadyMs=${cluster.timings.apiReadyMs} nodesReadyMs=${cluster.timings.nodesReadyMs} teardownMs=${stopMs}`,
    );
  }
  console.log(`medians over ${api.length} successful warm starts of ${starts} with ${nodes} nodes:`);
  const figures = api.length
    ? `apiReadyMs=${median(api)} nodesReadyMs=${median(ready)} teardownMs=${median(teardown)}`
    : "apiReadyMs=- nodesReadyMs=- teardownMs=-";
  console.log(`${figures} failedStarts=${failedStarts}`);
  if (failedStarts > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
