import { formatDuration } from "../../source/duration.ts";
import { DEFAULT_MAX_BYTES } from "./document.ts";
import { fitDocument } from "./fit.ts";
import type {
  BuildError,
  CheckFeedback,
  FeedbackDocument,
  TestFailure,
  TierSummary,
} from "../../model/feedback.ts";

/**
 * The feedback document as Markdown, for a model's prompt or a pull-request comment: the verdict
 * first, then one section per check that did not pass with what to fix and where, then the end of
 * its log. Same content as the JSON, fitted to its own size limit the same way.
 */

export interface MarkdownOptions {
  /** Upper bound of the Markdown in bytes (UTF-8). Default 16384, at least 1024. */
  maxBytes?: number;
}

const STATUS_TEXT: Record<CheckFeedback["status"], string> = {
  passed: "passed",
  failed: "failed",
  timedOut: "timed out",
  error: "error",
  skipped: "skipped",
};

const STATUS_MARK: Record<CheckFeedback["status"], string> = {
  passed: "✓",
  failed: "✗",
  timedOut: "⏱",
  error: "⚠",
  skipped: "–",
};

/**
 * Backslash-escapes what would turn inline text into markup or HTML. Underscores inside names
 * (`ten_percent`) are not emphasis in CommonMark, so they stay readable.
 */
function escape(text: string): string {
  return text.replace(/[\\`*<]/g, "\\$&");
}

/** A fence longer than any run of backticks inside, so a log can never close its own block. */
function fence(text: string, info = ""): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(Math.max(3, longest + 1));
  return `${marks}${info}\n${text}\n${marks}`;
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${marks}${pad}${text}${pad}${marks}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function place(file: string | undefined, line: number | undefined, col?: number): string {
  if (file === undefined) return "";
  return codeSpan([file, line, col].filter((p) => p !== undefined).join(":"));
}

/** Indents continuation lines so they stay inside a list item. */
function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l === "" ? "" : by + l))
    .join("\n");
}

function messageBlock(message: string): string {
  if (message === "") return "";
  if (!message.includes("\n")) return `: ${escape(message)}`;
  return `\n\n${indent(fence(message))}`;
}

function buildErrorLine(e: BuildError): string {
  const where = place(e.file, e.line, e.col);
  return `**First build error** (${escape(e.tool)})${where ? ` at ${where}` : ""}${messageBlock(e.message)}`;
}

function failureLine(f: TestFailure): string {
  const where = place(f.file, f.line);
  return `- ${where ? `${where} — ` : ""}${escape(f.name)}${messageBlock(f.message)}`;
}

function tierLine(t: TierSummary): string {
  const detail =
    t.skipped !== undefined
      ? `: ${escape(t.skipped)}`
      : ` (${plural(t.checks, "check")}, ${formatDuration(t.durationMs, { decimals: 1 })})`;
  return `${escape(t.name)} ${STATUS_MARK[t.status]} ${STATUS_TEXT[t.status]}${detail}`;
}

function checkSection(c: CheckFeedback): string {
  const parts: string[] = [
    `## ${STATUS_MARK[c.status]} ${escape(c.tier)} / ${escape(c.name)} — ${STATUS_TEXT[c.status]}`,
  ];
  const facts: string[] = [];
  if (c.command !== undefined) facts.push(`- command: ${codeSpan(c.command)}`);
  facts.push(
    `- exit code: ${c.exitCode ?? "none"} · duration: ${formatDuration(c.durationMs, { decimals: 1 })} · timed out: ${c.timedOut ? "yes" : "no"}`,
  );
  if (c.error !== undefined) facts.push(`- error: ${escape(c.error)}`);
  parts.push(facts.join("\n"));
  if (c.firstBuildError) parts.push(buildErrorLine(c.firstBuildError));
  if (c.failures.length > 0) {
    const total = c.failures.length + c.omittedFailures;
    const count = c.omittedFailures > 0 ? `${c.failures.length} of ${total} shown` : `${total}`;
    parts.push(`**Failing tests** (${count}):\n\n${c.failures.map(failureLine).join("\n")}`);
  } else if (c.omittedFailures > 0) {
    parts.push(`**Failing tests**: ${c.omittedFailures} (left out to fit the size limit)`);
  }
  const log = c.logExcerpt.replace(/\s+$/, "");
  if (log !== "") parts.push(`Log (end):\n\n${fence(log, "text")}`);
  return parts.join("\n\n");
}

/** Markdown for a document as it is, without fitting. */
export function toMarkdown(doc: FeedbackDocument): string {
  const ran = doc.checks.filter((c) => c.status !== "skipped");
  const notPassed = ran.filter((c) => c.status !== "passed");
  const headline =
    ran.length === 0
      ? doc.checks.length > 0
        ? `No checks ran: all ${doc.checks.length} were skipped (${doc.checks[0]?.skipped ?? "skipped"}${doc.checks.length > 1 ? ", …" : ""})`
        : "No checks ran"
      : notPassed.length === 0
        ? `${ran.length} of ${plural(ran.length, "check")} passed`
        : `${notPassed.length} of ${plural(ran.length, "check")} did not pass`;
  const parts = [`# kubeproof gate: ${doc.verdict}`, headline];
  if (doc.tiers.length > 0) parts.push(`Tiers: ${doc.tiers.map(tierLine).join(" · ")}`);
  const passed = doc.checks.filter((c) => c.status === "passed");
  if (passed.length > 0) {
    parts.push(
      `Passed: ${passed.map((c) => `${escape(c.tier)} / ${escape(c.name)} (${formatDuration(c.durationMs, { decimals: 1 })})`).join(", ")}`,
    );
  }
  const skipped = doc.checks.filter((c) => c.status === "skipped");
  if (skipped.length > 0) {
    const reason = (c: CheckFeedback): string => (c.skipped !== undefined ? `: ${escape(c.skipped)}` : "");
    parts.push(
      `Skipped: ${skipped.map((c) => `${escape(c.tier)} / ${escape(c.name)}${reason(c)}`).join(", ")}`,
    );
  }
  for (const c of doc.checks)
    if (c.status !== "passed" && c.status !== "skipped") parts.push(checkSection(c));
  if (doc.truncated) parts.push("_Some output was shortened to fit the size limit._");
  return `${parts.join("\n\n")}\n`;
}

/** Markdown for `doc`, shortened the same way as the JSON until it fits `maxBytes`. */
export function renderMarkdown(doc: FeedbackDocument, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return toMarkdown(fitDocument(doc, maxBytes, (d) => Buffer.byteLength(toMarkdown(d))));
}
