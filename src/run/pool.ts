import type { Test, TestAttempt, TestInfo, TestResult, TestStatus } from "../model/index.ts";
import { mapConcurrent } from "../source/pool.ts";
import type { RunEnvironment } from "./environment.ts";
import { executeTest } from "./execute-test.ts";

/** How the tests of a run are scheduled. */
export interface ScheduleOptions {
  workers: number;
  retries: number;
  /** The run's fail-fast (`execution.failFast`, `--fail-fast`): no new test after a failure. */
  failFast: boolean;
  /** Stop starting tests after this many failures (0: never). */
  maxFailures: number;
  /** The result of every test that has not started when something before it failed (a suite set-up). */
  blocked?: () => TestResult | undefined;
}

/** What the pool reports as tests finish. */
export interface RunTally {
  counts: Record<TestStatus, number>;
  failures: number;
}

/**
 * Runs tests on a pool of `workers`, with retries (a test that fails and then passes is flaky), a
 * failure budget, and interrupts: on abort no new test starts, running tests clean up, and the rest
 * are reported interrupted. Tests with `concurrent: false` run alone, after the others.
 */
export async function runScheduled(
  tests: readonly Test[],
  infos: ReadonlyMap<Test, TestInfo>,
  env: RunEnvironment,
  options: ScheduleOptions,
): Promise<RunTally> {
  const tally: RunTally = {
    counts: { passed: 0, failed: 0, skipped: 0, flaky: 0, interrupted: 0 },
    failures: 0,
  };
  const runOne = async (test: Test): Promise<void> => {
    const info = infos.get(test)!;
    const result = notRun(test, env, options, tally) ?? (await runAttempts(test, info, env, options.retries));
    tally.counts[result.status] += 1;
    if (result.status === "failed") tally.failures += 1;
    env.reporter.onTestEnd(info, result);
  };
  await mapConcurrent(
    tests.filter((t) => t.concurrent),
    options.workers,
    runOne,
  );
  for (const test of tests.filter((t) => !t.concurrent)) await runOne(test);
  return tally;
}

/**
 * Why a test does not run, if it does not. The test's own `failFast` wins over the run's, as in
 * Chainsaw: true skips it after any failure, false runs it even when the run fails fast.
 */
function notRun(
  test: Test,
  env: RunEnvironment,
  options: ScheduleOptions,
  tally: RunTally,
): TestResult | undefined {
  const skipped = (skipReason: string, status: TestStatus = "skipped"): TestResult => ({
    status,
    durationMs: 0,
    attempts: [],
    skipReason,
  });
  if (test.skip) return skipped(test.skipReason ?? "skip: true in the test");
  if (env.interrupt.aborted) return skipped("the run was interrupted", "interrupted");
  const blocked = options.blocked?.();
  if (blocked) return blocked;
  const failFast = test.failFast ?? options.failFast;
  if (failFast && tally.failures > 0)
    return skipped(
      `not run: fail-fast after ${tally.failures} failure(s)${test.failFast ? " (the test's failFast)" : ""}`,
    );
  if (options.maxFailures > 0 && tally.failures >= options.maxFailures)
    return skipped(`not run: ${tally.failures} failure(s) reached the limit`);
  return undefined;
}

async function runAttempts(
  test: Test,
  info: TestInfo,
  env: RunEnvironment,
  retries: number,
): Promise<TestResult> {
  const attempts: TestAttempt[] = [];
  for (let attempt = 0; attempt <= retries; attempt++) {
    env.reporter.onTestBegin(info, attempt);
    const result = await executeTest(test, info, env, attempt);
    attempts.push(result);
    if (result.status !== "failed" || env.interrupt.aborted) break;
  }
  const last = attempts[attempts.length - 1];
  const status: TestStatus =
    last.status === "passed" ? (attempts.length > 1 ? "flaky" : "passed") : last.status;
  return { status, durationMs: attempts.reduce((sum, a) => sum + a.durationMs, 0), attempts };
}
