import type { GateEvent } from "../model/gate-events.ts";
import type { CheckFeedback, FeedbackDocument } from "../model/feedback.ts";
import { formatDuration } from "../source/duration.ts";
import { resolveColors } from "./options.ts";
import { tailLines, type Colors } from "./text.ts";

/**
 * The terminal side of `kubeproof gate`: progress on stderr while tiers run, then the feedback in a
 * compact form on stdout: the same facts as the feedback files (verdict, each check that did not
 * pass with its first build error, failing tests and the end of its log), shorter.
 */

const WORD: Record<CheckFeedback["status"], string> = {
  passed: "passed",
  failed: "failed",
  timedOut: "timed out",
  error: "error",
  skipped: "skipped",
};

const MARK: Record<CheckFeedback["status"], string> = {
  passed: "✓",
  failed: "✗",
  timedOut: "⏱",
  error: "⚠",
  skipped: "–",
};

export class GateProgressReporter {
  private readonly c: Colors;

  constructor(
    private readonly stream: NodeJS.WritableStream = process.stderr,
    color?: boolean,
  ) {
    this.c = resolveColors(stream, color);
  }

  readonly onEvent = (event: GateEvent): void => {
    const { c } = this;
    switch (event.type) {
      case "tier-begin":
        return this.line(c.bold(`▶ tier ${event.tier}`) + c.dim(` (${event.kind}, ${event.checks} checks)`));
      case "tier-skip":
        return this.line(c.dim(`– tier ${event.tier} skipped: ${event.reason}`));
      case "tier-end":
        return this.line(
          `${statusColor(c, event.status)(`${MARK[event.status]} tier ${event.tier} ${WORD[event.status]}`)}${c.dim(` in ${formatDuration(event.durationMs, { decimals: 1 })}`)}`,
        );
      case "check-begin":
        return;
      case "check-skip":
        return this.line(c.dim(`  – ${event.tier}/${event.check} skipped: ${event.reason}`));
      case "check-end": {
        const code = event.status === "failed" ? ` (exit ${event.exitCode ?? "none"})` : "";
        return this.line(
          `  ${statusColor(c, event.status)(`${MARK[event.status]} ${event.tier}/${event.check}`)} ${WORD[event.status]}${code}${c.dim(` ${formatDuration(event.durationMs, { decimals: 1 })}`)}`,
        );
      }
      case "job-created":
        return this.line(
          `  Job ${event.namespace}/${event.name} created for commit ${event.commit.slice(0, 12)}`,
        );
      case "job-phase":
        return this.line(c.dim(`  Job: ${event.phase}`));
      case "job-deleted":
        return this.line(c.dim(`  Job ${event.namespace}/${event.name} deleted`));
      case "note":
        return this.line(c.yellow(`note: ${event.message}`));
    }
  };

  private line(text: string): void {
    this.stream.write(`${text}\n`);
  }
}

function statusColor(c: Colors, status: CheckFeedback["status"]): (text: string) => string {
  switch (status) {
    case "passed":
      return c.green;
    case "failed":
    case "error":
      return c.red;
    case "timedOut":
      return c.yellow;
    case "skipped":
      return c.dim;
  }
}

export interface GateResultOptions {
  /** Log lines shown per check (the files carry the full excerpt). Default 20. */
  logLines?: number;
  /** Feedback files written, to point at. */
  files?: readonly string[];
}

/** `2 of 5 checks did not pass`: the result in one line, for the terminal and the HTML page. */
export function gateHeadline(doc: FeedbackDocument): string {
  const ran = doc.checks.filter((ch) => ch.status !== "skipped");
  const notPassed = ran.filter((ch) => ch.status !== "passed").length;
  if (ran.length === 0) return "no checks ran";
  return notPassed === 0
    ? `${ran.length} of ${ran.length} checks passed`
    : `${notPassed} of ${ran.length} checks did not pass`;
}

function checkLines(c: Colors, check: CheckFeedback, logLines: number): string[] {
  const facts = [
    check.exitCode !== null ? `exit ${check.exitCode}` : "no exit code",
    formatDuration(check.durationMs, { decimals: 1 }),
    ...(check.timedOut ? ["timed out"] : []),
  ];
  const out = [
    `${statusColor(c, check.status)(`${MARK[check.status]} ${check.tier} / ${check.name}`)} — ${WORD[check.status]} (${facts.join(", ")})`,
  ];
  if (check.command !== undefined) out.push(c.dim(`  command: ${check.command}`));
  if (check.error !== undefined) out.push(`  error: ${check.error}`);
  const b = check.firstBuildError;
  if (b) {
    const where = [b.file, b.line, b.col].filter((p) => p !== undefined).join(":");
    out.push(
      `  first build error (${b.tool})${where ? ` ${c.cyan(where)}` : ""}: ${b.message.split("\n")[0] ?? ""}`,
    );
  }
  if (check.failures.length > 0) {
    const total = check.failures.length + check.omittedFailures;
    out.push(`  failing tests (${total}):`);
    for (const f of check.failures) {
      const where =
        f.file !== undefined ? `${c.cyan([f.file, f.line].filter((p) => p !== undefined).join(":"))}  ` : "";
      const message = f.message.split("\n")[0] ?? "";
      out.push(`    ${where}${f.name}${message ? `: ${message}` : ""}`);
    }
    if (check.omittedFailures > 0) out.push(c.dim(`    … and ${check.omittedFailures} more`));
  }
  const { lines, omitted } = tailLines(check.logExcerpt, logLines);
  if (check.logExcerpt.trim() !== "") {
    out.push(c.dim(`  log${omitted > 0 ? ` (last ${lines.length} lines)` : ""}:`));
    for (const line of lines) out.push(c.dim(`    │ ${line}`));
  }
  return out;
}

/** The feedback document for a terminal. */
export function formatGateResult(doc: FeedbackDocument, c: Colors, options: GateResultOptions = {}): string {
  const verdictColor = doc.verdict === "PASS" ? c.green : doc.verdict === "TIMEOUT" ? c.yellow : c.red;
  const out = [`${c.bold(`kubeproof gate: ${verdictColor(doc.verdict)}`)} — ${gateHeadline(doc)}`];
  for (const check of doc.checks) {
    if (check.status === "passed" || check.status === "skipped") continue;
    out.push("", ...checkLines(c, check, options.logLines ?? 20));
  }
  if (doc.truncated) out.push("", c.dim("(some output was shortened to fit the feedback size limit)"));
  if (options.files && options.files.length > 0)
    out.push("", c.dim(`feedback written to ${options.files.join(", ")}`));
  return `${out.join("\n")}\n`;
}

/** Prints the result to stdout (or `stream`). */
export function printGateResult(
  doc: FeedbackDocument,
  options: GateResultOptions & { stream?: NodeJS.WritableStream; color?: boolean } = {},
): void {
  const stream = options.stream ?? process.stdout;
  stream.write(formatGateResult(doc, resolveColors(stream, options.color), options));
}
