import { resolve } from "node:path";
import { defaultConfig, type Config } from "../config/config-schema.ts";
import { Resources } from "../kube/resources.ts";
import { loadProject } from "../load/index.ts";
import type { RunInfo, RunResult, Suite, Test, TestInfo } from "../model/index.ts";
import { Reporters, type Reporter } from "../report/reporter.ts";
import { clusterFacts } from "./cluster-facts.ts";
import { formatLoadWarning } from "../source/diagnostics.ts";
import { releaseClusterBindings } from "./cluster-functions.ts";
import { ClusterConnections } from "./clusters.ts";
import { connectCluster, type ClusterChoice, type ConnectedCluster } from "./cluster-target.ts";
import type { RunEnvironment } from "./environment.ts";
import { errorMessage } from "../source/errors.ts";
import { newRunId } from "./labels.ts";
import { deleteNamespace } from "./namespace.ts";
import { parseLocationArg, selectTests, type Selection } from "./plan.ts";
import { runScheduled } from "./pool.ts";
import { runSuiteSetup } from "./suite-setup.ts";
import { runToolPath } from "./tools.ts";
import { formatDuration } from "../source/duration.ts";

/** Where the tests come from: paths to discover, or a suite or tests already loaded. */
export interface TestSource {
  /** Files or directories, relative to `rootDir`; `path:line` and test ids (`path::name`) select single tests. */
  paths?: readonly string[];
  /** Tests already loaded (by `loadProject` or your own loader); `paths` are then not read. */
  suite?: Suite;
  /**
   * The configuration file; found upwards from `rootDir` when absent. Ignored when `config` is given.
   * A kuttl TestSuite file here is kuttl's `--config`; an empty file means none (see `loadProject`).
   */
  configPath?: string;
  /** The configuration itself (defaults when neither it nor a file is found). */
  config?: Config;
  /** Ids and locations are relative to it (default: the current directory). */
  rootDir?: string;
  /** kuttl's `--template-var` values: `.Vars` of kuttl's `.gotmpl.yaml` step files. */
  templateVars?: Record<string, unknown>;
  /** kuttl's `--test-run-labels`: what TestCase and TestFile `testRunSelector`s match. */
  testRunLabels?: Record<string, string>;
  /** vk-test-set: `--vk-test-set-fixes` (upstream's bugs fixed, see docs/vk-test-set.md). */
  vkTestSetFixes?: boolean;
  /** `--grep`, `--selector`, `--shard`, ... (path arguments add their `path:line`s and ids). */
  selection?: Omit<Selection, "locations">;
}

/** The tests a run would run, with the configuration they run under. */
export interface PlannedRun {
  config: Config;
  suite: Suite;
  tests: Test[];
}

/** Tests were asked for and none is there (or none matches the filters): usage error, exit 2. */
export class NoTestsError extends Error {
  override name = "NoTestsError";
}

export interface RunTestsOptions extends TestSource {
  /** Already planned tests (`planTests`): loading and selection are skipped. */
  planned?: PlannedRun;
  /** A cluster to connect to (default: the kubeconfig if configured, else the local cluster), or one connected already, which the caller closes. */
  cluster?: Omit<ClusterChoice, "signal"> | ConnectedCluster;
  /** The only output of the run. */
  reporters?: readonly Reporter[];
  /** Tests at once (default: the configuration's `parallel`). */
  workers?: number;
  retries?: number;
  /** No new test after a failure (default: the configuration's `execution.failFast`). */
  failFast?: boolean;
  /** Stop starting tests after this many failures (default 0: never). */
  maxFailures?: number;
  timeoutMultiplier?: number;
  /** Keep everything the tests create, whatever tests and the configuration say. */
  skipDelete?: boolean;
  /** `$values` (default: the configuration's `values`). */
  values?: Record<string, unknown>;
  /** Report files (default: the configuration's report path, else `kubeproof-report`). */
  reportDir?: string;
  /** Failure diagnostics (default: `<reportDir>/artifacts`). */
  artifactsDir?: string;
  /** Abort to interrupt: no new test starts, running ones clean up, the result is `interrupted`. */
  signal?: AbortSignal;
  /** How long to wait at the end for background namespace deletions before reporting them. */
  finalCleanupMs?: number;
}

/**
 * Loads and selects the tests of a run without touching a cluster. Throws `LoadErrors` for broken
 * input and `SelectionError` for bad filters (both usage errors).
 */
export function planTests(source: TestSource): PlannedRun {
  const rootDir = resolve(source.rootDir ?? process.cwd());
  // No paths: the working directory, or the tests of a kuttl suite file given as `configPath`.
  const locations = (source.paths ?? []).map(parseLocationArg);
  let config = source.config;
  let suite = source.suite;
  if (suite === undefined) {
    const files = [...new Set(locations.map((l) => resolve(rootDir, l.file)))];
    const project = loadProject(files, {
      ...(source.configPath === undefined ? {} : { configPath: source.configPath }),
      ...(source.templateVars === undefined ? {} : { templateVars: source.templateVars }),
      ...(source.testRunLabels === undefined ? {} : { testRunLabels: source.testRunLabels }),
      ...(source.vkTestSetFixes === true ? { vkTestSet: { fixes: true } } : {}),
      rootDir,
    });
    config ??= project.config;
    suite = project.suite;
  }
  config ??= defaultConfig();
  const pinpointed = locations.some((l) => l.line !== undefined || l.id !== undefined);
  const tests = selectTests(suite.tests, {
    ...source.selection,
    ...(pinpointed && source.suite === undefined ? { locations } : {}),
  });
  return { config, suite, tests };
}

/**
 * kubeproof's entry point for running tests, the one the CLI uses: plans the run, connects to the
 * cluster, runs the tests on a pool of workers with retries and cleanup, and reports every event to
 * `reporters`. Returns the run's status and counts. Throws `LoadErrors`, `SelectionError`,
 * `NoTestsError` or `ClusterChoiceError` before anything reaches a cluster.
 */
export async function runTests(options: RunTestsOptions): Promise<RunResult> {
  const { config, suite, tests } = options.planned ?? planTests(options);
  if (tests.length === 0) throw new NoTestsError(`no tests found in ${(options.paths ?? ["."]).join(", ")}`);
  const signal = options.signal ?? new AbortController().signal;
  const cluster = await openCluster(options.cluster, signal, config.cluster.realNodes);
  const reporter = new Reporters(options.reporters ?? []);
  const facts = await clusterFacts(cluster.target.client, cluster.target.info);
  const run = runInfo(options, { config, suite, tests }, { ...cluster.target.info, ...facts });
  const toolPath = await runToolPath(tests, toolOptions(options.cluster, signal));
  const env = environment(options, { config, run, reporter, signal, toolPath }, cluster.target);
  try {
    const started = Date.now();
    const infos = new Map(tests.map((t) => [t, testInfo(t)]));
    reporter.onBegin(run, [...infos.values()]);
    for (const warning of suite.warnings ?? []) reporter.onInfo(formatLoadWarning(warning));
    // Once, before the first test (kuttl's crdDir, manifestDirs, commands; kubeproof.yaml's setup).
    const setup = await runSuiteSetup(tests, env);
    const tally = await runScheduled(tests, infos, env, {
      workers: run.workers,
      retries: options.retries ?? 0,
      failFast: options.failFast ?? config.execution.failFast,
      maxFailures: options.maxFailures ?? 0,
      blocked: () => setup.failedResult(),
    });
    await setup.stop();
    await settleRun(env, options.finalCleanupMs ?? 60_000);
    const status = signal.aborted ? "interrupted" : tally.counts.failed > 0 ? "failed" : "passed";
    const result: RunResult = { status, durationMs: Date.now() - started, counts: tally.counts };
    await reporter.onEnd(result);
    return result;
  } finally {
    releaseClusterBindings(env.client);
    await env.clusters.close();
    if (cluster.owned) cluster.target.client.close();
  }
}

export function testInfo(test: Test): TestInfo {
  return {
    id: test.id,
    name: test.name,
    location: test.location,
    format: test.format,
    labels: test.labels,
    stepNames: test.steps.map((s) => s.name),
  };
}

async function openCluster(
  cluster: RunTestsOptions["cluster"],
  signal: AbortSignal,
  realNodes: number,
): Promise<{ target: ConnectedCluster; owned: boolean }> {
  if (cluster !== undefined && "client" in cluster) return { target: cluster, owned: false };
  return { target: await connectCluster({ realNodes, ...cluster, signal }), owned: true };
}

/** A helm install shows its progress where the local cluster's start shows its own. */
function toolOptions(
  cluster: RunTestsOptions["cluster"],
  signal: AbortSignal,
): Parameters<typeof runToolPath>[1] {
  const onEvent = cluster !== undefined && !("client" in cluster) ? cluster.onEvent : undefined;
  return { signal, ...(onEvent ? { onEvent } : {}) };
}

function runInfo(options: RunTestsOptions, planned: PlannedRun, cluster: RunInfo["cluster"]): RunInfo {
  const reportDir = resolve(options.reportDir ?? planned.config.report.path ?? "kubeproof-report");
  const workers = options.workers ?? planned.config.execution.parallel;
  const shard = options.selection?.shard;
  return {
    rootDir: planned.suite.rootDir,
    cluster,
    workers: Math.max(1, Math.min(workers, planned.tests.length)),
    startedAt: new Date().toISOString(),
    artifactsDir: resolve(options.artifactsDir ?? `${reportDir}/artifacts`),
    reportDir,
    runId: newRunId(),
    ...(shard ? { shard } : {}),
  };
}

function environment(
  options: RunTestsOptions,
  run: { config: Config; run: RunInfo; reporter: Reporters; signal: AbortSignal; toolPath: string[] },
  cluster: ConnectedCluster,
): RunEnvironment {
  return {
    resources: new Resources(cluster.client),
    client: cluster.client,
    kubeconfig: cluster.kubeconfig,
    toolPath: run.toolPath,
    config: run.config,
    runId: run.run.runId,
    artifactsDir: run.run.artifactsDir,
    timeoutMultiplier: options.timeoutMultiplier ?? 1,
    skipDelete: options.skipDelete === true,
    values: options.values ?? structuredClone(run.config.values),
    interrupt: run.signal,
    reporter: run.reporter,
    pendingCleanup: [],
    sharedNamespaces: new Map(),
    clusters: new ClusterConnections(),
  };
}

/** Deletes the shared namespaces, waits for every namespace deletion, and reports what is stuck. */
async function settleRun(env: RunEnvironment, timeoutMs: number): Promise<void> {
  if (!env.skipDelete && !env.config.cleanup.skipDelete) {
    for (const shared of env.sharedNamespaces.values()) {
      const namespace = await shared.catch(() => undefined);
      if (namespace?.created)
        env.pendingCleanup.push(deleteNamespace(env.resources, namespace.name, env.config.timeouts.cleanup));
    }
  }
  const warnings = await settleCleanup(env.pendingCleanup, timeoutMs);
  for (const warning of warnings) env.reporter.onError({ message: `cleanup: ${warning}` });
}

async function settleCleanup(pending: Promise<string | undefined>[], timeoutMs: number): Promise<string[]> {
  const timeout = new Promise<"timeout">((resolve) =>
    setTimeout(() => resolve("timeout"), timeoutMs).unref(),
  );
  const all = Promise.all(pending.map((p) => p.catch((error: unknown) => errorMessage(error))));
  const settled = await Promise.race([all, timeout]);
  if (settled === "timeout")
    return [`${pending.length} namespace deletion(s) still running after ${formatDuration(timeoutMs)}`];
  return settled.filter((w): w is string => typeof w === "string");
}
