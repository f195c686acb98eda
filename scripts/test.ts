/**
 * The test command (`npm test`): runs every test/**\/*.test.ts file with node:test, sharing one local
 * cluster across the run (its kubeconfig goes to test files as KUBEPROOF_TEST_KUBECONFIG), and ends with
 * a plain `N passed, N failed, N skipped` line.
 *
 *   npm test                      everything
 *   npm test -- test/match        a folder or file
 *   npm test -- --no-cluster      unit tests only: cluster tests are skipped
 *
 * Missing cluster binaries are installed first. With KUBEPROOF_REQUIRE_CLUSTER=1 (CI) a failed install
 * or cluster start fails the run; otherwise the cluster tests are skipped with the reason.
 *
 * When a test under test/real-node/ is selected, a second cluster with a real node starts beside the
 * shared one (its kubeconfig in KUBEPROOF_TEST_REAL_KUBECONFIG): the shared cluster's tests use images
 * that exist nowhere, which only kwok nodes can "run". Where real nodes cannot run (not root, not
 * Linux) those tests are skipped with the reason, except in CI, where that fails the run.
 */
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "node:test";
import { spec } from "node:test/reporters";
import { finished } from "node:stream/promises";
import { installBinaries } from "../src/cluster/install/index.ts";
import { baseComponents, toolComponents } from "../src/cluster/versions.ts";
import { startLocalCluster, type LocalCluster } from "../src/cluster/local-cluster.ts";
import { realNodeProblem } from "../src/cluster/providers/real/preconditions.ts";
import { formatDuration } from "../src/source/duration.ts";
import { ClusterProgressReporter } from "../src/report/cluster-progress.ts";

const args = process.argv.slice(2);
const noCluster = args.includes("--no-cluster");
const required = process.env.KUBEPROOF_REQUIRE_CLUSTER === "1";
const targets = args.filter((a) => !a.startsWith("--"));

async function testFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (path: string): Promise<void> => {
    const info = await stat(path);
    if (info.isFile()) {
      if (path.endsWith(".test.ts")) files.push(path);
      return;
    }
    for (const entry of await readdir(path)) {
      if (entry === "fixtures" || entry === "node_modules" || entry.startsWith(".")) continue;
      await walk(join(path, entry));
    }
  };
  for (const path of paths.length > 0 ? paths : ["test"]) await walk(resolve(path));
  return files.sort();
}

async function sharedCluster(): Promise<LocalCluster | undefined> {
  if (noCluster) {
    process.env.KUBEPROOF_TEST_NO_CLUSTER = "run with --no-cluster";
    return undefined;
  }
  const progress = new ClusterProgressReporter(process.stderr);
  try {
    // Installs the pinned binaries when missing (a cold build from Go modules shows progress), helm
    // included: the helm tests would otherwise build it inside a test's run.
    await installBinaries({ components: [...baseComponents, ...toolComponents], onEvent: progress.onEvent });
    const cluster = await startLocalCluster({
      name: `test-${process.pid}`,
      nodes: 2,
      onEvent: progress.onEvent,
    });
    console.error(
      `shared test cluster ${cluster.name}: API ready in ${formatDuration(cluster.timings.apiReadyMs, { decimals: 1 })}, nodes Ready in ${formatDuration(cluster.timings.nodesReadyMs, { decimals: 1 })}`,
    );
    process.env.KUBEPROOF_TEST_KUBECONFIG = cluster.kubeconfig;
    return cluster;
  } catch (error) {
    if (required) throw error;
    process.env.KUBEPROOF_TEST_NO_CLUSTER = `local cluster failed to start: ${(error as Error).message}`;
    console.error(`cluster tests will be skipped: ${process.env.KUBEPROOF_TEST_NO_CLUSTER}`);
    return undefined;
  }
}

/** The cluster with a real node, for the tests under test/real-node/. */
async function realNodeCluster(files: string[]): Promise<LocalCluster | undefined> {
  if (!files.some((file) => file.includes(`${join("test", "real-node")}`))) return undefined;
  if (noCluster) {
    process.env.KUBEPROOF_TEST_NO_REAL_NODE = "run with --no-cluster";
    return undefined;
  }
  const problem = realNodeProblem();
  if (problem) {
    if (required) throw new Error(`the real-node tests cannot run: ${problem}`);
    process.env.KUBEPROOF_TEST_NO_REAL_NODE = problem;
    console.error(`real-node tests will be skipped: ${problem}`);
    return undefined;
  }
  const progress = new ClusterProgressReporter(process.stderr);
  try {
    const cluster = await startLocalCluster({
      name: `test-${process.pid}-real`,
      nodes: { kwok: 1, real: 1 },
      onEvent: progress.onEvent,
      // A cold install builds containerd, the kubelet and CoreDNS from Go modules first.
      timeoutMs: 180_000,
    });
    console.error(
      `real-node test cluster ${cluster.name}: nodes Ready in ${formatDuration(cluster.timings.nodesReadyMs, { decimals: 1 })}`,
    );
    process.env.KUBEPROOF_TEST_REAL_KUBECONFIG = cluster.kubeconfig;
    process.env.KUBEPROOF_TEST_REAL_CLUSTER = cluster.name;
    return cluster;
  } catch (error) {
    if (required) throw error;
    process.env.KUBEPROOF_TEST_NO_REAL_NODE = `real-node cluster failed to start: ${(error as Error).message}`;
    console.error(`real-node tests will be skipped: ${process.env.KUBEPROOF_TEST_NO_REAL_NODE}`);
    return undefined;
  }
}

/**
 * Every temporary file and folder the tests (and the kubeproof processes they start) make goes under
 * one folder of this run, removed at its end: the machine is shared and test files do not all clean up.
 */
async function runTempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kp-test-run-"));
  process.env.TMPDIR = dir;
  return dir;
}

async function main(): Promise<number> {
  const files = await testFiles(targets);
  if (files.length === 0) {
    console.error(`no test files under ${targets.join(", ") || "test/"}`);
    return 1;
  }
  const temp = await runTempDir();
  try {
    return await runWithClusters(files, temp);
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function runWithClusters(files: string[], temp: string): Promise<number> {
  const cluster = await sharedCluster();
  const realCluster = await realNodeCluster(files).catch(async (error: unknown) => {
    await cluster?.stop();
    throw error;
  });
  const stopCluster = async (): Promise<void> => {
    await Promise.all([cluster?.stop(), realCluster?.stop()]);
    // An interrupt exits from the handler below, past main's own removal.
    await rm(temp, { recursive: true, force: true });
  };
  const onSignal = (): void => {
    void stopCluster().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  const counts = { passed: 0, failed: 0, skipped: 0 };
  try {
    const stream = run({ files, concurrency: Math.max(2, availableParallelism()), timeout: 15 * 60_000 });
    stream.on("test:pass", (data: { skip?: unknown; todo?: unknown; details: { type?: string } }) => {
      if (data.details.type === "suite") return;
      if (data.skip !== undefined || data.todo !== undefined) counts.skipped += 1;
      else counts.passed += 1;
    });
    stream.on("test:fail", (data: { details: { type?: string } }) => {
      if (data.details.type !== "suite") counts.failed += 1;
    });
    const out = stream.compose<NodeJS.ReadableStream>(new spec());
    out.pipe(process.stdout);
    await finished(out);
  } finally {
    await stopCluster();
  }
  console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return counts.failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
