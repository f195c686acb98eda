import type { RunInfo, TestInfo, TestResult, TestStatus } from "../model/result.ts";
import { formatDuration } from "../source/duration.ts";
import { columns, rows, type ReporterOptions } from "./options.ts";
import { attemptsNote } from "./summary.ts";
import { TerminalReporter } from "./terminal-base.ts";
import { fit, testTitle, type Colors } from "./text.ts";

interface Running {
  test: TestInfo;
  attempt: number;
  startedAt: number;
  step?: { name: string; index: number };
}

export const LIST_SYMBOLS: Record<TestStatus, string> = {
  passed: "✓",
  failed: "✘",
  flaky: "±",
  skipped: "↷",
  interrupted: "■",
};

/** `  ✓  3 e2e/a/chainsaw-test.yaml:4 › name (1.2s)`: the permanent line of a finished test. */
export function formatTestLine(test: TestInfo, result: TestResult, index: number, c: Colors): string {
  const symbol = LIST_SYMBOLS[result.status];
  const title = testTitle(test);
  if (result.status === "skipped") {
    const reason = result.skipReason ? c.dim(` (skipped: ${result.skipReason})`) : "";
    return `  ${c.yellow(symbol)}  ${c.dim(String(index))} ${c.dim(title)}${reason}`;
  }
  const timing = c.dim(`(${formatDuration(result.durationMs, { decimals: 1 })}${attemptsNote(result)})`);
  switch (result.status) {
    case "passed":
      return `  ${c.green(symbol)}  ${c.dim(String(index))} ${title} ${timing}`;
    case "failed":
      return c.red(
        `  ${symbol}  ${index} ${title} (${formatDuration(result.durationMs, { decimals: 1 })}${attemptsNote(result)})`,
      );
    default:
      return `  ${c.yellow(symbol)}  ${c.dim(String(index))} ${c.yellow(title)} ${timing}`;
  }
}

/**
 * The default reporter in a terminal (Playwright's `list`): a permanent line per finished test, live
 * lines for the running ones (TTY only), failure details after the run, then the summary.
 */
export class ListReporter extends TerminalReporter {
  private readonly running = new Map<string, Running>();
  private finished = 0;
  private startedAt: number;

  constructor(options: ReporterOptions) {
    super(options, false);
    this.startedAt = this.now();
    this.enableLive();
  }

  override onBegin(run: RunInfo, tests: readonly TestInfo[]): void {
    this.startedAt = this.now();
    super.onBegin(run, tests);
  }

  onTestBegin(test: TestInfo, attempt: number): void {
    this.running.set(test.id, { test, attempt, startedAt: this.now() });
    this.live?.update();
  }

  onStepBegin(test: TestInfo, step: { name: string; index: number }): void {
    const running = this.running.get(test.id);
    if (!running) return;
    running.step = step;
    this.live?.update();
  }

  override onTestEnd(test: TestInfo, result: TestResult): void {
    this.running.delete(test.id);
    this.println(formatTestLine(test, result, ++this.finished, this.c));
    super.onTestEnd(test, result);
  }

  protected override liveLines(): string[] {
    if (this.running.size === 0) return [];
    const width = columns(this.stream) - 1;
    const now = this.now();
    // Leave room for the status line and a line of permanent output above the block.
    const room = Math.max(1, rows(this.stream) - 3);
    const all = [...this.running.values()];
    const shown = all.length > room ? all.slice(0, room - 1) : all;
    const lines = shown.map((r) => {
      const retry = r.attempt > 1 ? ` (retry #${r.attempt - 1})` : "";
      const total = r.test.stepNames.length;
      const step = r.step ? ` › ${r.step.name}${total > 1 ? ` [${r.step.index + 1}/${total}]` : ""}` : "";
      const elapsed = formatDuration(now - r.startedAt, { decimals: 0 });
      return this.c.dim(fit(`     ${testTitle(r.test)}${retry}${step} (${elapsed})`, width));
    });
    if (shown.length < all.length) lines.push(this.c.dim(`     … and ${all.length - shown.length} more`));
    const status = `  ${this.finished}/${this.total} done, ${this.running.size} running (${formatDuration(now - this.startedAt, { decimals: 0 })})`;
    lines.push(this.c.dim(fit(status, width)));
    return lines;
  }
}
