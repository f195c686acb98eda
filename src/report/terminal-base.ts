import type { Reporter } from "./reporter.ts";
import type { FailureDetail, RunInfo, RunResult, TestInfo, TestResult } from "../model/result.ts";
import { formatLocation } from "../model/source.ts";
import { formatFailure } from "./failure-format.ts";
import { LiveArea } from "./live.ts";
import { isTTY, resolveColors, type ReporterOptions } from "./options.ts";
import { formatRunHeader, formatSummary, needsDetails } from "./summary.ts";
import { testTitle, type Colors } from "./text.ts";

/**
 * What list, line and dot share: the run header, run-level messages, failure details and the summary.
 * Subclasses decide what appears per test and whether failures print as they happen or after the run.
 */
export abstract class TerminalReporter implements Reporter {
  protected readonly stream: NodeJS.WritableStream;
  protected readonly c: Colors;
  protected readonly tty: boolean;
  protected readonly now: () => number;
  protected run: RunInfo | undefined;
  protected total = 0;
  protected live: LiveArea | undefined;
  private readonly pending: { test: TestInfo; result: TestResult }[] = [];
  private failureCount = 0;

  constructor(
    options: ReporterOptions,
    /** Print each failure when its test ends (line) rather than after the run (list, dot). */
    private readonly failuresAsTheyHappen: boolean,
  ) {
    this.stream = options.stream ?? process.stdout;
    this.c = resolveColors(this.stream, options.color);
    this.tty = isTTY(this.stream);
    this.now = options.now ?? Date.now;
  }

  /** Live lines at the bottom of a TTY; subclasses that show some return them, the others none. */
  protected liveLines(): string[] {
    return [];
  }

  /** Subclasses call this to start the live block; only a TTY gets one. */
  protected enableLive(): void {
    if (this.tty) this.live = new LiveArea(this.stream, () => this.liveLines());
  }

  /** Permanent output; goes above the live block when there is one. */
  protected print(text: string): void {
    if (this.live) this.live.write(text);
    else this.stream.write(text);
  }

  protected println(line: string): void {
    this.print(`${line}\n`);
  }

  private readonly cleanupWarnings: string[] = [];

  onBegin(run: RunInfo, tests: readonly TestInfo[]): void {
    this.run = run;
    this.total = tests.length;
    this.println(formatRunHeader(run, tests.length));
    this.println("");
  }

  onInfo(message: string): void {
    this.println(this.c.dim(message));
  }

  onError(error: FailureDetail): void {
    const at = error.location ? `${formatLocation(error.location)}: ` : "";
    this.println(this.c.red(`error: ${at}${error.message}`));
  }

  onTestEnd(test: TestInfo, result: TestResult): void {
    if (!needsDetails(result)) {
      // A passing test whose objects would not go away (finalizers) still deserves a word.
      const warnings = result.attempts.at(-1)?.cleanupWarnings ?? [];
      if (warnings.length > 0) this.cleanupWarnings.push(...warnings.map((w) => `${testTitle(test)}: ${w}`));
      return;
    }
    if (this.failuresAsTheyHappen) this.printFailure(test, result);
    else this.pending.push({ test, result });
  }

  protected printFailure(test: TestInfo, result: TestResult): void {
    // A failure block starts on its own line with a blank line before it, whatever came before.
    this.print(`\n${formatFailure(test, result, ++this.failureCount, this.c)}`);
  }

  /** Subclasses finish their per-test output (end a row of dots) before failures and the summary. */
  protected beforeEpilogue(): void {}

  onEnd(result: RunResult): void {
    this.live?.stop();
    this.live = undefined;
    this.beforeEpilogue();
    // Failures before flaky tests: what broke matters more than what recovered.
    const ordered = [...this.pending].sort((a, b) => flakyLast(a.result) - flakyLast(b.result));
    for (const { test, result: r } of ordered) this.printFailure(test, r);
    this.pending.length = 0;
    for (const warning of this.cleanupWarnings) this.println(this.c.yellow(`cleanup: ${warning}`));
    this.println("");
    this.println(formatSummary(result, this.c));
  }
}

function flakyLast(result: TestResult): number {
  return result.status === "flaky" ? 1 : 0;
}
