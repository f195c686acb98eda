import type { TestInfo, TestResult } from "../model/result.ts";
import { columns, type ReporterOptions } from "./options.ts";
import { TerminalReporter } from "./terminal-base.ts";
import { fit, testTitle } from "./text.ts";

/**
 * CI-friendly (Playwright's `line`): one counter line updated in place on a TTY, failures in full as
 * soon as their test ends, then the summary. Outside a TTY nothing per test, so logs stay short.
 */
export class LineReporter extends TerminalReporter {
  private started = 0;
  private failed = 0;
  private current: { test: TestInfo; attempt: number } | undefined;
  private readonly seen = new Set<string>();

  constructor(options: ReporterOptions) {
    super(options, true);
    this.enableLive();
  }

  onTestBegin(test: TestInfo, attempt: number): void {
    // A retry is the same test again: the counter counts tests, as the summary does.
    if (!this.seen.has(test.id)) {
      this.seen.add(test.id);
      this.started++;
    }
    this.current = { test, attempt };
    this.live?.update();
  }

  override onTestEnd(test: TestInfo, result: TestResult): void {
    if (!this.seen.has(test.id)) {
      // Skipped tests may end without beginning; they still count towards the total.
      this.seen.add(test.id);
      this.started++;
    }
    if (result.status === "failed") this.failed++;
    super.onTestEnd(test, result);
    this.live?.update();
  }

  protected override liveLines(): string[] {
    if (!this.current) return [];
    const { test, attempt } = this.current;
    const retry = attempt > 1 ? ` (retry #${attempt - 1})` : "";
    const text = `[${this.started}/${this.total}] ${testTitle(test)}${retry}`;
    const failed = this.failed > 0 ? this.c.red(` · ${this.failed} failed`) : "";
    return [fit(text, columns(this.stream) - 12) + failed];
  }
}
