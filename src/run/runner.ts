import type {
  RunInfo,
  RunResult,
  Test,
  TestAttempt,
  TestInfo,
  TestResult,
  TestStatus,
} from "../model/index.ts";
import { releaseClusterBindings } from "./cluster-functions.ts";
import type { RunEnvironment } from "./execute-test.ts";
import { executeTest } from "./execute-test.ts";
import { deleteNamespace } from "./namespace.ts";
import { runSuiteSetup } from "./suite-setup.ts";

export interface RunOptions {
  workers: number;
  retries: number;
  /** Stop starting tests after this many failures (0: never). `--fail-fast` is 1. */
  maxFailures: number;
  /** How long to wait at the end for background namespace deletions before reporting them. */
  finalCleanupMs?: number;
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

/**
 * Runs tests on a pool of `workers`, with retries (a test that fails and then passes is flaky), a
 * failure budget, and interrupts: on abort no new test starts, running tests clean up, and the rest
 * are reported interrupted. Tests with `concurrent: false` run alone, after the others.
 */
export async function runTests(
  tests: readonly Test[],
  run: RunInfo,
  env: RunEnvironment,
  options: RunOptions,
): Promise<RunResult> {
  const started = Date.now();
  const infos = new Map(tests.map((t) => [t, testInfo(t)]));
  env.reporter.onBegin(run, [...infos.values()]);
  // Once, before the first test (kuttl's crdDir, manifestDirs, commands; kubeproof.yaml's setup).
  const setup = await runSuiteSetup(tests, env);
  const counts: Record<TestStatus, number> = { passed: 0, failed: 0, skipped: 0, flaky: 0, interrupted: 0 };
  let failures = 0;
  const budgetSpent = (): boolean => options.maxFailures > 0 && failures >= options.maxFailures;

  const finish = (test: Test, result: TestResult): void => {
    counts[result.status] += 1;
    if (result.status === "failed") failures += 1;
    env.reporter.onTestEnd(infos.get(test)!, result);
  };

  const runOne = async (test: Test): Promise<void> => {
    const info = infos.get(test)!;
    if (test.skip)
      return finish(test, {
        status: "skipped",
        durationMs: 0,
        attempts: [],
        skipReason: "skip: true in the test",
      });
    if (env.interrupt.aborted)
      return finish(test, {
        status: "interrupted",
        durationMs: 0,
        attempts: [],
        skipReason: "the run was interrupted",
      });
    const setupFailed = setup.failedResult();
    if (setupFailed) return finish(test, setupFailed);
    if (budgetSpent())
      return finish(test, {
        status: "skipped",
        durationMs: 0,
        attempts: [],
        skipReason: `not run: ${failures} failure(s) reached the limit`,
      });
    const attempts: TestAttempt[] = [];
    for (let attempt = 0; attempt <= options.retries; attempt++) {
      env.reporter.onTestBegin(info, attempt);
      const result = await executeTest(test, info, env, attempt);
      attempts.push(result);
      if (result.status !== "failed" || env.interrupt.aborted) break;
    }
    const last = attempts[attempts.length - 1];
    const status: TestStatus =
      last.status === "passed"
        ? attempts.length > 1
          ? "flaky"
          : "passed"
        : last.status === "interrupted"
          ? "interrupted"
          : last.status === "skipped"
            ? "skipped"
            : "failed";
    finish(test, { status, durationMs: attempts.reduce((sum, a) => sum + a.durationMs, 0), attempts });
  };

  const concurrent = tests.filter((t) => t.concurrent);
  const exclusive = tests.filter((t) => !t.concurrent);
  const queue = [...concurrent];
  const worker = async (): Promise<void> => {
    for (let test = queue.shift(); test; test = queue.shift()) await runOne(test);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, queue.length)) }, worker));
  for (const test of exclusive) await runOne(test);

  await setup.stop();
  if (!env.skipDelete && !env.config.cleanup.skipDelete) {
    for (const shared of env.sharedNamespaces.values()) {
      const namespace = await shared.catch(() => undefined);
      if (namespace?.created)
        env.pendingCleanup.push(deleteNamespace(env.resources, namespace.name, env.config.timeouts.cleanup));
    }
  }
  const warnings = await settleCleanup(env.pendingCleanup, options.finalCleanupMs ?? 60_000);
  for (const warning of warnings) env.reporter.onError(`cleanup: ${warning}`);
  const status = env.interrupt.aborted ? "interrupted" : counts.failed > 0 ? "failed" : "passed";
  const result: RunResult = { status, durationMs: Date.now() - started, counts };
  releaseClusterBindings(env.client);
  await env.reporter.onEnd(result);
  return result;
}

async function settleCleanup(pending: Promise<string | undefined>[], timeoutMs: number): Promise<string[]> {
  const timeout = new Promise<"timeout">((resolve) =>
    setTimeout(() => resolve("timeout"), timeoutMs).unref(),
  );
  const all = Promise.all(
    pending.map((p) => p.catch((error: unknown) => (error instanceof Error ? error.message : String(error)))),
  );
  const settled = await Promise.race([all, timeout]);
  if (settled === "timeout")
    return [`${pending.length} namespace deletion(s) still running after ${timeoutMs} ms`];
  return settled.filter((w): w is string => typeof w === "string");
}
