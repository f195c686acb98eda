/**
 * `npm run bench:suite`: 50 small tests (apply a Deployment, assert it Available, clean up) run by the
 * real CLI with `--workers 4` on the local cluster (started or reused). Reports the CLI process's wall
 * time, CPU time and peak RSS (GNU time), medians over BENCH_RUNS runs (default 3). Last line:
 * `wallMs=<n> cpuMs=<n> peakRssMb=<n>`.
 *
 * It measures what users run: the `kubeproof` command, `bin/kubeproof.js` executed (so its first line
 * applies) on the compiled `dist/`, which it builds first (`tsc -p tsconfig.build.json`) so the figure
 * is of the current source. `--from-source` measures `node --import tsx src/cli/bin.ts` instead, as
 * the tests run the CLI and as this bench did before: tsx's loader thread and compiled-source caches
 * add about 40 MiB of RSS and start-up CPU that no user pays.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalCluster } from "../src/cluster/local-cluster.ts";
import { cliCommand } from "./cli.ts";
import { median } from "./stats.ts";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const tests = 50;
const fromSource = process.argv.includes("--from-source");

function testFile(i: number): string {
  return `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: deploy-${i}
spec:
  steps:
    - try:
        - apply:
            resource:
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: app
              spec:
                replicas: 1
                selector:
                  matchLabels: { app: app }
                template:
                  metadata:
                    labels: { app: app }
                  spec:
                    containers:
                      - name: app
                        image: nginx
        - assert:
            resource:
              apiVersion: apps/v1
              kind: Deployment
              metadata:
                name: app
              status:
                (conditions[?type == 'Available']):
                  - status: "True"
`;
}

function timed(
  cli: string[],
  args: string[],
  cwd: string,
): Promise<{ code: number | null; wallMs: number; cpuMs: number; rssMb: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("/usr/bin/time", ["-f", "TIME %U %S %M", ...cli, ...args], { cwd });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(output);
      if (!m) return reject(new Error(`no timing in output:\n${output}`));
      resolve({
        code,
        wallMs: performance.now() - started,
        cpuMs: (Number(m[1]) + Number(m[2])) * 1000,
        rssMb: Number(m[3]) / 1024,
        output,
      });
    });
  });
}

async function main(): Promise<void> {
  const cli = cliCommand(fromSource);
  const cluster = await startLocalCluster({ name: "kubeproof", nodes: 2, reuse: true });
  try {
    const dir = await mkdtemp(join(tmpdir(), "kp-bench-suite-"));
    process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
    for (let i = 0; i < tests; i++)
      await writeFile(join(dir, `deploy-${String(i).padStart(2, "0")}.yaml`), testFile(i));
    const wall: number[] = [];
    const cpu: number[] = [];
    const rss: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const reportDir = join(dir, `report-${run}`);
      const result = await timed(
        cli,
        [
          "test",
          ".",
          "--workers",
          "4",
          "--kubeconfig",
          cluster.kubeconfig,
          "--reporter",
          "json",
          "--report-dir",
          reportDir,
        ],
        dir,
      );
      const summary = (
        JSON.parse(await readFile(join(reportDir, "report.json"), "utf8")) as {
          results: { summary: { passed: number } };
        }
      ).results.summary;
      if (result.code !== 0 || summary.passed !== tests)
        throw new Error(
          `run ${run} did not pass all ${tests} tests (exit ${result.code}):\n${result.output.slice(-2000)}`,
        );
      wall.push(result.wallMs);
      cpu.push(result.cpuMs);
      rss.push(result.rssMb);
      console.log(
        `run ${run}/${runs}: wallMs=${Math.round(result.wallMs)} cpuMs=${Math.round(result.cpuMs)} peakRssMb=${Math.round(result.rssMb)}`,
      );
    }
    console.log(
      `medians over ${runs} runs of ${tests} tests (apply Deployment, assert Available, clean up) at --workers 4, ${fromSource ? "CLI from source through tsx" : "built CLI (bin/kubeproof.js)"}:`,
    );
    console.log(`wallMs=${median(wall)} cpuMs=${median(cpu)} peakRssMb=${median(rss)}`);
  } finally {
    // A cluster this bench started is stopped; one it found running is left as it was.
    if (!cluster.reused) await cluster.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
