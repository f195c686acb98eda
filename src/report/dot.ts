import type { TestInfo, TestResult, TestStatus } from "../model/result.ts";
import type { ReporterOptions } from "./options.ts";
import { TerminalReporter } from "./terminal-base.ts";

const ROW = 80;

/** Playwright's dot characters; an interrupted test prints none (the summary counts it). */
export const DOT_CHARS: Record<TestStatus, string> = {
  passed: "·",
  failed: "F",
  flaky: "±",
  skipped: "°",
  interrupted: "",
};

/** A failed attempt that is retried, printed when the retry begins (as Playwright's `×`). */
export const DOT_RETRY = "×";

/** One character per test, 80 to a row, then failures and the summary (Playwright's `dot`). */
export class DotReporter extends TerminalReporter {
  private column = 0;

  constructor(options: ReporterOptions) {
    super(options, false);
  }

  onTestBegin(_test: TestInfo, attempt: number): void {
    if (attempt > 1) this.dot(this.c.red(DOT_RETRY));
  }

  override onTestEnd(test: TestInfo, result: TestResult): void {
    const char = DOT_CHARS[result.status];
    const paint =
      result.status === "passed" ? this.c.green : result.status === "failed" ? this.c.red : this.c.yellow;
    if (char !== "") this.dot(paint(char));
    super.onTestEnd(test, result);
  }

  private dot(char: string): void {
    this.stream.write(char);
    if (++this.column === ROW) this.endRow();
  }

  private endRow(): void {
    if (this.column === 0) return;
    this.stream.write("\n");
    this.column = 0;
  }

  /** Messages start on their own line, not in the middle of a row of dots. */
  protected override print(text: string): void {
    this.endRow();
    super.print(text);
  }

  protected override beforeEpilogue(): void {
    this.endRow();
  }
}
