/**
 * `npm run bench:cluster`: warm starts of the embedded local cluster (binaries already installed).
 * Prints each run, then medians; the last line is `apiReadyMs=<n> nodesReadyMs=<n> teardownMs=<n>`.
 *   BENCH_RUNS=5 (default)  BENCH_NODES=2 (default)
 */
import { mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installBinaries } from "../src/cluster/install/index.ts";
import { startLocalCluster } from "../src/cluster/local-cluster.ts";
import { kubeproofHome } from "../src/cluster/paths.ts";
import { median } from "./stats.ts";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const nodes = Number(process.env.BENCH_NODES ?? 2);

async function main(): Promise<void> {
  // Resolve binaries once from the real cache; each run gets a fresh state home of its own.
  const binaries = await installBinaries({ home: kubeproofHome() });
  const binDir = await mkdtemp(join(tmpdir(), "kp-bench-bin-"));
  for (const [name, path] of Object.entries(binaries)) await symlink(path, join(binDir, name));
  const home = await mkdtemp(join(tmpdir(), "kp-bench-home-"));

  const api: number[] = [];
  const ready: number[] = [];
  const teardown: number[] = [];
  // One unmeasured start warms the page cache for the binaries, so every measured run is "warm".
  for (let i = -1; i < runs; i++) {
    const cluster = await startLocalCluster({ name: `bench-${i + 1}`, nodes, home, install: { binDir } });
    const stopStart = performance.now();
    await cluster.stop();
    const stopMs = Math.round(performance.now() - stopStart);
    if (i < 0) continue;
    api.push(cluster.timings.apiReadyMs);
    ready.push(cluster.timings.nodesReadyMs);
    teardown.push(stopMs);
    console.log(
      `run ${i + 1}/${runs}: apiReadyMs=${cluster.timings.apiReadyMs} nodesReadyMs=${cluster.timings.nodesReadyMs} teardownMs=${stopMs}`,
    );
  }
  console.log(`medians over ${runs} warm starts with ${nodes} nodes:`);
  console.log(`apiReadyMs=${median(api)} nodesReadyMs=${median(ready)} teardownMs=${median(teardown)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
