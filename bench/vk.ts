/**
 * `npm run bench:vk [-- UPSTREAM] [--parity]`: the same vk-test-set templates on the same local
 * cluster with a real node (started or reused; root on Linux), run by upstream's pytest runner (`python3 -m pytest -vx`, needs
 * `pip install pytest kubernetes jinja2 pydantic`) and by kubeproof (`--workers 1`, then 4). UPSTREAM
 * (or $VK_UPSTREAM) is a vk-test-set checkout: its `vktestset` package is copied next to the templates,
 * the checkout is not changed. Without one only kubeproof is measured, and the last line says `n/a`.
 *
 * The templates are kubeproof's real-node suite (test/fixtures/real-node/vk-test-set: containers
 * really run, so both runners read real logs; kwok's scripted logs need a custom resource that
 * upstream's create_from_yaml cannot create), its passing ones for the timing (pytest -x stops at the
 * first failure). Medians over BENCH_RUNS runs (default 3); each one-worker run also prints where its
 * wall time went, from its JSON report (outside the run: start-up, connecting, exit; inside: each
 * operation type's total, the pod checks holding the pods' own time on the node). Last line:
 * `upstreamMs=<n> kubeproofMs=<n> ratio=<r>`. `--parity` instead runs every template once with each
 * runner and prints the per-test verdicts as a Markdown table (docs/vk-test-set.md). With `--upstream`
 * too, the templates are the checkout's own (`vktestset/templates/`, as published), with a
 * configuration for the real node and a fresh namespace, and the images they name are first built from
 * this machine's programs and loaded on the node under those names (bench/vk-stand-ins.ts). The
 * cluster is `vkbench` (or $KUBEPROOF_BENCH_CLUSTER).
 */
import { existsSync, rmSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadImages, startLocalCluster } from "../src/cluster/local-cluster.ts";
import { writeHostImages } from "../src/cluster/providers/real/host-image.ts";
import { KubeClient } from "../src/kube/client.ts";
import { runCommand } from "../src/process/index.ts";
import type { CtrfReport } from "../src/report/json.ts";
import { cliCommand } from "./cli.ts";
import { median } from "./stats.ts";
import { imagesNamed, standIns } from "./vk-stand-ins.ts";

const runs = Number(process.env.BENCH_RUNS ?? 3);
const parity = process.argv.includes("--parity");
const ownTemplates = process.argv.includes("--upstream");
const upstream = process.argv.slice(2).find((a) => !a.startsWith("--")) ?? process.env.VK_UPSTREAM;
const fixture = fileURLToPath(new URL("../test/fixtures/real-node/vk-test-set/", import.meta.url));
/** The templates that pass: pytest -x would stop at the first failing one. */
const PASSING = ["000-hello-world.yaml", "010-growing-log.yaml", "020-config-volume.yaml"];

interface Run {
  code: number | null;
  wallMs: number;
  output: string;
}

/** One runner's run, on the project's one process launcher; the wall time includes its start-up. */
async function run(command: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const started = performance.now();
  const [name, ...args] = command;
  const done = await runCommand({ command: name, args, cwd, env: { ...process.env, ...env } });
  if (done.error && done.code === null) throw done.error;
  return { code: done.code, wallMs: performance.now() - started, output: done.stdout + done.stderr };
}

/** A copy of the fixture suite with its logs and its own namespace; with the upstream package beside it. */
async function prepare(
  client: KubeClient,
  only?: readonly string[],
): Promise<{ dir: string; namespace: string }> {
  const dir = await mkdtemp(join(tmpdir(), "kp-bench-vk-"));
  const namespace = `vk-bench-${Math.random().toString(36).slice(2, 8)}`;
  const templates = join(dir, "vktestset", "templates");
  await mkdir(templates, { recursive: true });
  await cp(join(fixture, "vktest_config.yaml"), join(dir, "vktest_config.yaml"));
  for (const file of await readdir(join(fixture, "templates")))
    if (only === undefined || only.includes(file))
      await cp(join(fixture, "templates", file), join(templates, file));
  if (upstream)
    for (const py of await readdir(join(upstream, "vktestset")))
      if (py.endsWith(".py")) await cp(join(upstream, "vktestset", py), join(dir, "vktestset", py));
  for (const file of [
    join(dir, "vktest_config.yaml"),
    ...(await readdir(templates)).map((f) => join(templates, f)),
  ])
    await writeFile(file, (await readFile(file, "utf8")).replaceAll("@NAMESPACE@", namespace));
  await client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: namespace } } });
  return { dir, namespace };
}

/** upstream's own templates and package, with a configuration for the real node and a fresh namespace. */
async function prepareUpstream(
  client: KubeClient,
  checkout: string,
): Promise<{ dir: string; namespace: string }> {
  const dir = await mkdtemp(join(tmpdir(), "kp-bench-vk-up-"));
  const namespace = `vk-up-${Math.random().toString(36).slice(2, 8)}`;
  await cp(join(checkout, "vktestset"), join(dir, "vktestset"), { recursive: true });
  await writeFile(
    join(dir, "vktest_config.yaml"),
    [
      "target_nodes: [real-node-0]",
      `required_namespaces: [default, ${namespace}]`,
      "timeout_multiplier: 1",
      `values: {namespace: ${namespace}, annotations: {}, tolerations: []}`,
      "",
    ].join("\n"),
  );
  await client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: namespace } } });
  return { dir, namespace };
}

/** Builds the stand-ins for the images the templates name and loads them on the cluster's real node. */
async function loadStandIns(cluster: string, templatesDir: string, work: string): Promise<void> {
  const named = imagesNamed(templatesDir);
  const { images, missing } = await standIns();
  const built = images.filter((s) => s.recipe.refs.some((r) => named.includes(r)));
  const archive = join(work, "stand-ins.tar");
  await writeHostImages(
    archive,
    built.map((s) => s.recipe),
  );
  await loadImages(cluster, [archive]);
  for (const s of built) console.log(`stand-in ${s.recipe.refs.join(", ")}: ${s.what}`);
  for (const ref of named.filter((r) => !built.some((s) => s.recipe.refs.includes(r))))
    console.log(`no stand-in for ${ref}: ${missing[ref] ?? "no recipe"}`);
}

/**
 * Where a kubeproof run's wall time went, from its JSON report: outside the run (process start-up,
 * loading, connecting, exit) and, inside, each operation type's total. On a real node the pod checks
 * hold the time the pods take to start and run; the rest is kubeproof's own.
 */
async function breakdown(reportFile: string, wallMs: number): Promise<string> {
  const report = JSON.parse(await readFile(reportFile, "utf8")) as CtrfReport;
  const byType = new Map<string, number>();
  for (const test of report.results.tests)
    for (const step of test.extra.steps)
      for (const op of step.operations) byType.set(op.type, (byType.get(op.type) ?? 0) + op.durationMs);
  const runMs = report.results.summary.duration;
  const ops = [...byType].sort((a, b) => b[1] - a[1]).map(([type, ms]) => `${type} ${ms}`);
  return `wall ${Math.round(wallMs)} ms = outside the run ${Math.round(wallMs - runMs)} + run ${runMs} (${ops.join(", ")})`;
}

async function main(): Promise<void> {
  if (!upstream)
    console.log(
      "no upstream vk-test-set checkout given (argument or $VK_UPSTREAM): measuring kubeproof only",
    );
  else if (!existsSync(join(upstream, "vktestset", "basic_test.py")))
    throw new Error(`${upstream} holds no vktestset/basic_test.py`);
  const cli = cliCommand(false);
  const name = process.env.KUBEPROOF_BENCH_CLUSTER ?? "vkbench";
  const cluster = await startLocalCluster({ name, nodes: { kwok: 1, real: 1 }, reuse: true });
  const client = await KubeClient.fromKubeconfig({ path: cluster.kubeconfig });
  const cleanups: string[] = [];
  process.once("exit", () => cleanups.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const env = { KUBECONFIG: cluster.kubeconfig, VKTEST_CONFIG: "vktest_config.yaml" };
  const pytest = (dir: string, extra: string[]): Promise<Run> =>
    run(["python3", "-m", "pytest", ...extra, "vktestset/basic_test.py"], dir, env);
  const kubeproof = (dir: string, extra: string[]): Promise<Run> =>
    run([...cli, "test", ".", "--kubeconfig", cluster.kubeconfig, ...extra], dir, env);
  try {
    if (ownTemplates && !(parity && upstream))
      throw new Error("--upstream needs --parity and an upstream checkout");
    if (parity) {
      const suite = ownTemplates ? await prepareUpstream(client, upstream!) : await prepare(client);
      cleanups.push(suite.dir);
      if (ownTemplates) await loadStandIns(name, join(suite.dir, "vktestset", "templates"), suite.dir);
      const up = upstream ? await pytest(suite.dir, ["-v", "--junitxml", "upstream.xml"]) : undefined;
      await kubeproof(suite.dir, ["--reporter", "junit=kubeproof.xml"]);
      const verdicts = async (file: string): Promise<Map<string, string>> => {
        const xml = existsSync(join(suite.dir, file)) ? await readFile(join(suite.dir, file), "utf8") : "";
        const out = new Map<string, string>();
        for (const m of xml.matchAll(/<testcase\b[^>]*?\sname="([^"]+)"[^>]*?(\/>|>([\s\S]*?)<\/testcase>)/g))
          out.set(m[1], /<(failure|error)/.test(m[3] ?? "") ? "failed" : "passed");
        return out;
      };
      const [u, k] = [await verdicts("upstream.xml"), await verdicts("kubeproof.xml")];
      // $VK_PARITY_OUT keeps both JUnit reports (their failure messages) for a look at a disagreement.
      const out = process.env.VK_PARITY_OUT;
      if (out)
        for (const file of ["upstream.xml", "kubeproof.xml"])
          if (existsSync(join(suite.dir, file))) await cp(join(suite.dir, file), join(out, file));
      console.log(`| test | upstream | kubeproof |\n| --- | --- | --- |`);
      for (const name of [...k.keys()])
        console.log(`| \`${name}\` | ${u.get(name) ?? "-"} | ${k.get(name)} |`);
      if (up && up.code !== 0 && u.size === 0) console.log(up.output);
      await client.request("DELETE", `/api/v1/namespaces/${suite.namespace}`).catch(() => undefined);
      return;
    }
    const upstreamMs: number[] = [];
    const one: number[] = [];
    const four: number[] = [];
    for (let i = 1; i <= runs; i++) {
      const suite = await prepare(client, PASSING);
      cleanups.push(suite.dir);
      if (upstream) {
        const up = await pytest(suite.dir, ["-vx"]);
        if (up.code !== 0) throw new Error(`pytest failed:\n${up.output}`);
        upstreamMs.push(up.wallMs);
      }
      for (const [workers, list] of [
        ["1", one],
        ["4", four],
      ] as const) {
        const report = join(suite.dir, `report-${workers}.json`);
        const kp = await kubeproof(suite.dir, ["--workers", workers, "--reporter", `line,json=${report}`]);
        if (kp.code !== 0) throw new Error(`kubeproof failed:\n${kp.output}`);
        list.push(kp.wallMs);
        if (workers === "1")
          console.log(`run ${i}, kubeproof with 1 worker: ${await breakdown(report, kp.wallMs)}`);
      }
      await client.request("DELETE", `/api/v1/namespaces/${suite.namespace}`).catch(() => undefined);
      console.log(
        `run ${i}: upstream ${upstream ? `${Math.round(upstreamMs.at(-1)!)} ms` : "n/a"}, kubeproof ${Math.round(one.at(-1)!)} ms (1 worker), ${Math.round(four.at(-1)!)} ms (4 workers)`,
      );
    }
    console.log(`kubeproof with 4 workers: ${median(four)} ms`);
    const u = upstream ? median(upstreamMs) : undefined;
    const k = median(one);
    console.log(
      `upstreamMs=${u ?? "n/a"} kubeproofMs=${k} ratio=${u === undefined ? "n/a" : (k / u).toFixed(2)}`,
    );
  } finally {
    client.close();
    await Promise.all(cleanups.map((d) => rm(d, { recursive: true, force: true })));
    if (!cluster.reused) await cluster.stop();
  }
}

await main();
