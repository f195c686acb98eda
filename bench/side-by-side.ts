/**
 * `npm run bench:side-by-side`: issue 10's comparison. The same checks written two ways, run on the same
 * cluster with a real node: examples/inference-gateway (kubeproof's http, metrics and table steps) and
 * bench/inference-gateway-chainsaw (Chainsaw's format: scripts that `kubectl exec` a busybox client
 * pod and grep `nc`'s raw responses). The chainsaw binary is not installed here, so kubeproof runs
 * both (it reads Chainsaw's format). Prints per suite its lines of YAML (non-blank, non-comment, the
 * test files and the Chainsaw suite's client pod; the model server's manifest both apply is left out)
 * and its wall time, medians of BENCH_RUNS runs (default 3) of the built CLI.
 * Starts the local cluster `kubeproof-bench-sbs` with one real node and stops it at the end, or uses
 * `--cluster <name>` (a running local cluster with a real node, left running).
 * Last line: `kubeproofLines=<n> chainsawLines=<n> kubeproofMs=<n> chainsawMs=<n>`.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { kubeproofHome } from "../src/source/home.ts";
import { startLocalCluster } from "../src/cluster/local-cluster.ts";
import { runCommand } from "../src/process/index.ts";
import { loadModelServer } from "../tools/model-server/load.ts";
import { median } from "./stats.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 3);

interface Suite {
  name: string;
  dir: string;
  files: string[];
}

const suites: Suite[] = [
  { name: "kubeproof", dir: "examples/inference-gateway", files: ["kubeproof-test.yaml"] },
  {
    name: "chainsaw",
    dir: "bench/inference-gateway-chainsaw",
    files: ["chainsaw-test.yaml", "client.yaml"],
  },
];

/** Lines that are neither blank nor a YAML comment: what a reader of the suite reads. */
export function yamlLines(text: string): number {
  return text.split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#")).length;
}

async function lines(suite: Suite): Promise<number> {
  let total = 0;
  for (const file of suite.files) total += yamlLines(await readFile(join(root, suite.dir, file), "utf8"));
  return total;
}

/** kubectl, for the Chainsaw suite's scripts, from the installed Kubernetes binaries. */
async function kubectlDir(): Promise<string> {
  const bin = join(kubeproofHome(), "bin");
  const found = (await readdir(bin)).filter((name) => /^kubernetes-v/.test(name)).sort();
  const last = found.at(-1);
  if (last === undefined) throw new Error(`no kubectl under ${bin}: run kubeproof cluster install`);
  return join(bin, last);
}

async function runSuite(suite: Suite, kubeconfig: string, path: string): Promise<number> {
  const started = performance.now();
  const result = await runCommand({
    command: process.execPath,
    args: ["bin/kubeproof.js", "test", suite.dir, "--kubeconfig", kubeconfig, "--reporter", "list"],
    cwd: root,
    env: { ...process.env, PATH: path },
  });
  const wallMs = performance.now() - started;
  if (result.code !== 0 || !/1 passed/.test(result.stdout))
    throw new Error(`${suite.name} suite failed (exit ${result.code}):\n${result.stdout}${result.stderr}`);
  return wallMs;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--cluster");
  const given = at >= 0 ? process.argv[at + 1] : undefined;
  const build = await runCommand({ command: "npx", args: ["tsc", "-p", "tsconfig.build.json"], cwd: root });
  if (build.code !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
  const cluster = await startLocalCluster({
    name: given ?? "kubeproof-bench-sbs",
    nodes: { kwok: 1, real: 1 },
    reuse: true,
  });
  try {
    await loadModelServer(cluster.name);
    const path = `${await kubectlDir()}:${process.env.PATH ?? ""}`;
    const wall: Record<string, number[]> = { kubeproof: [], chainsaw: [] };
    for (let run = 1; run <= runs; run++) {
      for (const suite of suites) {
        const ms = await runSuite(suite, cluster.kubeconfig, path);
        wall[suite.name]?.push(ms);
        console.log(`run ${run}/${runs}: ${suite.name} ${Math.round(ms)}ms`);
      }
    }
    const figures = await Promise.all(
      suites.map(async (suite) => ({
        suite,
        lines: await lines(suite),
        ms: median(wall[suite.name] ?? []),
      })),
    );
    for (const { suite, lines: n, ms } of figures)
      console.log(`${suite.name} (${suite.dir}): ${n} lines of YAML, wall ${ms}ms (median of ${runs} runs)`);
    const [kp, cs] = figures;
    console.log(
      `kubeproofLines=${kp?.lines} chainsawLines=${cs?.lines} kubeproofMs=${kp?.ms} chainsawMs=${cs?.ms}`,
    );
  } finally {
    if (given === undefined && !cluster.reused) await cluster.stop();
  }
}

await main();
