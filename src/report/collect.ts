import type { FailureDetail, RunInfo, RunResult, TestInfo, TestResult } from "../model/result.ts";
import type { Reporter } from "./reporter.ts";

/** A test with its final result and, when it ran, when it started and ended (epoch milliseconds). */
export interface Entry {
  test: TestInfo;
  result: TestResult;
  start?: number;
  stop?: number;
  /** The test was planned but never started (the run was interrupted or stopped early). */
  notRun?: boolean;
}

/**
 * Remembers what file reporters need at the end: tests in the planned order, their results and times.
 * Planned tests that never ended are reported as skipped, as Playwright does, so a report of an
 * interrupted run still lists every test.
 */
export class ResultCollector {
  run: RunInfo | undefined;
  private readonly planned: TestInfo[] = [];
  private readonly starts = new Map<string, number>();
  private readonly ended = new Map<string, Entry>();

  constructor(private readonly now: () => number) {}

  onBegin(run: RunInfo, tests: readonly TestInfo[]): void {
    this.run = run;
    this.planned.push(...tests);
  }

  onTestBegin(test: TestInfo): void {
    // The first attempt's start: a retried test's duration covers every attempt.
    if (!this.starts.has(test.id)) this.starts.set(test.id, this.now());
  }

  onTestEnd(test: TestInfo, result: TestResult): void {
    const stop = this.now();
    const start = this.starts.get(test.id);
    this.ended.set(test.id, { test, result, ...(start === undefined ? {} : { start, stop }) });
  }

  entries(run: RunResult): Entry[] {
    const out: Entry[] = [];
    const listed = new Set<string>();
    for (const test of this.planned) {
      if (listed.has(test.id)) continue;
      listed.add(test.id);
      out.push(this.ended.get(test.id) ?? notRun(test, run));
    }
    for (const [id, entry] of this.ended) if (!listed.has(id)) out.push(entry);
    return out;
  }
}

function notRun(test: TestInfo, run: RunResult): Entry {
  const skipReason =
    run.status === "interrupted" ? "not run: the run was interrupted before this test started" : "not run";
  return { test, notRun: true, result: { status: "skipped", durationMs: 0, attempts: [], skipReason } };
}

/** The run's start in epoch milliseconds: the runner's own timestamp when it parses. */
export function runStart(run: RunInfo | undefined, fallback: number): number {
  const parsed = run ? Date.parse(run.startedAt) : Number.NaN;
  return Number.isNaN(parsed) ? fallback : parsed;
}

/**
 * A file reporter: remembers the run's tests, results and errors, and writes its file in `onEnd`
 * (JUnit, JSON, HTML).
 */
export abstract class CollectingReporter implements Reporter {
  protected readonly collector: ResultCollector;
  protected readonly now: () => number;
  /** When `onBegin` arrived (epoch milliseconds). */
  protected beganAt: number | undefined;
  /** Errors reported outside any test (`onError`). */
  protected readonly errors: FailureDetail[] = [];

  constructor(now: (() => number) | undefined) {
    this.now = now ?? Date.now;
    this.collector = new ResultCollector(this.now);
  }

  onBegin(run: RunInfo, tests: readonly TestInfo[]): void {
    this.beganAt = this.now();
    this.collector.onBegin(run, tests);
  }
  onTestBegin(test: TestInfo): void {
    this.collector.onTestBegin(test);
  }
  onTestEnd(test: TestInfo, result: TestResult): void {
    this.collector.onTestEnd(test, result);
  }
  onError(error: FailureDetail): void {
    this.errors.push(error);
  }

  abstract onEnd(result: RunResult): Promise<void>;
}
