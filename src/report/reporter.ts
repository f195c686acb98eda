import type { FailureDetail, RunInfo, RunResult, StepResult, TestInfo, TestResult } from "../model/result.ts";

/**
 * A reporter turns run events into output: the terminal, a file, annotations. Reporters are the only
 * output path of a test run (Playwright Test's Reporter, reduced to what kubeproof emits). Events
 * arrive in order per test; tests run in parallel, so events of different tests interleave.
 */
export interface Reporter {
  /** Once, before any test runs: what will run and where. */
  onBegin?(run: RunInfo, tests: readonly TestInfo[]): void;
  onTestBegin?(test: TestInfo, attempt: number): void;
  onStepBegin?(test: TestInfo, step: { name: string; index: number }): void;
  onStepEnd?(test: TestInfo, step: StepResult): void;
  /** After the last attempt of a test. */
  onTestEnd?(test: TestInfo, result: TestResult): void;
  /** A message that belongs to the run, not a test (cluster start, cleanup of an interrupted run). */
  onInfo?(message: string): void;
  /** An error outside any test (a cleanup that did not finish, say), with its location when it has one. */
  onError?(error: FailureDetail): void;
  /** Once, after everything: files are written here. */
  onEnd?(result: RunResult): Promise<void> | void;
}

/** Fans events out to several reporters, in order. */
export class Reporters implements Required<Reporter> {
  constructor(private readonly reporters: readonly Reporter[]) {}

  onBegin(run: RunInfo, tests: readonly TestInfo[]): void {
    for (const r of this.reporters) r.onBegin?.(run, tests);
  }
  onTestBegin(test: TestInfo, attempt: number): void {
    for (const r of this.reporters) r.onTestBegin?.(test, attempt);
  }
  onStepBegin(test: TestInfo, step: { name: string; index: number }): void {
    for (const r of this.reporters) r.onStepBegin?.(test, step);
  }
  onStepEnd(test: TestInfo, step: StepResult): void {
    for (const r of this.reporters) r.onStepEnd?.(test, step);
  }
  onTestEnd(test: TestInfo, result: TestResult): void {
    for (const r of this.reporters) r.onTestEnd?.(test, result);
  }
  onInfo(message: string): void {
    for (const r of this.reporters) r.onInfo?.(message);
  }
  onError(error: FailureDetail): void {
    for (const r of this.reporters) r.onError?.(error);
  }
  async onEnd(result: RunResult): Promise<void> {
    for (const r of this.reporters) await r.onEnd?.(result);
  }
}
