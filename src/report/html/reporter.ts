import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { RunResult } from "../../model/result.ts";
import { CollectingReporter } from "../collect.ts";
import type { ReporterOptions } from "../options.ts";
import { DEFAULT_ATTACHMENT_LIMITS, resolveAttachments, type AttachmentLimits } from "./attachments.ts";
import { buildHtmlReport } from "./data.ts";
import { renderHtmlReport } from "./render.ts";

/**
 * `--reporter html`: writes `<reportDir>/index.html` when the run ends (or the file `html=path`
 * names; attachments past the cap are then linked relative to that file's folder).
 */
export class HtmlReporter extends CollectingReporter {
  readonly outputFile: string;

  constructor(
    private readonly options: ReporterOptions,
    private readonly limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS,
  ) {
    super(options.now);
    this.outputFile = resolve(options.outputFile ?? join(options.reportDir, "index.html"));
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
