import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { FailureDetail, RunResult, TestInfo, TestResult } from "../../model/result.ts";
import { ResultCollector } from "../collect.ts";
import type { ReporterOptions } from "../options.ts";
import type { Reporter } from "../reporter.ts";
import { DEFAULT_ATTACHMENT_LIMITS, resolveAttachments, type AttachmentLimits } from "./attachments.ts";
import { buildHtmlReport } from "./data.ts";
import { renderHtmlReport } from "./render.ts";

/**
 * `--reporter html`: writes `<reportDir>/index.html` when the run ends (or the file `html=path`
 * names; attachments past the cap are then linked relative to that file's folder).
 */
export class HtmlReporter implements Reporter {
  readonly outputFile: string;
  private readonly collector: ResultCollector;
  private readonly now: () => number;
  private readonly errors: FailureDetail[] = [];

  constructor(
    private readonly options: ReporterOptions,
    private readonly limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS,
  ) {
    this.outputFile = resolve(options.outputFile ?? join(options.reportDir, "index.html"));
    this.now = options.now ?? Date.now;
    this.collector = new ResultCollector(this.now);
  }

  onBegin(...args: Parameters<ResultCollector["onBegin"]>): void {
    this.collector.onBegin(...args);
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

  async onEnd(result: RunResult): Promise<void> {
    const entries = this.collector.entries(result);
    const dir = dirname(this.outputFile);
    await mkdir(dir, { recursive: true });
    const data = buildHtmlReport(entries, result, {
      generatedAt: new Date(this.now()).toISOString(),
      ...(this.collector.run ? { run: this.collector.run } : {}),
      ...(this.options.version ? { version: this.options.version } : {}),
      ...(this.options.commandLine ? { commandLine: this.options.commandLine } : {}),
      errors: this.errors,
      attachments: await resolveAttachments(entries, dir, this.limits),
    });
    await writeFile(this.outputFile, renderHtmlReport(data));
  }
}
