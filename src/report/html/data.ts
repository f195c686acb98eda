import type { Attachment, RunResult, TestAttempt, TestStatus } from "../../model/result.ts";
import { formatLocation } from "../../model/source.ts";
import type { Entry } from "../collect.ts";
import {
  describePoint,
  diffLines,
  explainingAttempt,
  failurePoint,
  firstLine,
  pointLocation,
} from "../failure-format.ts";
import { stripAnsi, testTitle } from "../text.ts";
import type {
  HtmlAttachment,
  HtmlAttempt,
  HtmlCounts,
  HtmlFailure,
  HtmlReportContext,
  HtmlReportData,
  HtmlTest,
  HtmlTimelineBar,
  ResolvedAttachment,
} from "./types.ts";

export type * from "./types.ts";

/**
 * The data the HTML report is rendered from: everything the page shows, already decided (counts,
 * the failure point, the timeline's offsets, events in time order), so the renderer only lays it out
 * and tests can check the facts without a browser. Built from the same results the other reporters get.
 */

const SLOWEST = 10;

export function countTests(statuses: readonly TestStatus[]): HtmlCounts {
  const counts: HtmlCounts = { total: 0, passed: 0, failed: 0, flaky: 0, skipped: 0, interrupted: 0 };
  for (const status of statuses) {
    counts.total++;
    counts[status]++;
  }
  return counts;
}

/** The whole page's data; pure, so tests and the benchmark build it without a run. */
export function buildHtmlReport(
  entries: readonly Entry[],
  run: RunResult,
  ctx: HtmlReportContext,
): HtmlReportData {
  const tests = entries.map((entry, index) => htmlTest(entry, index, ctx));
  const slowest = tests
    .filter((t) => t.attempts.length > 0)
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, SLOWEST)
    .map((t) => ({ index: t.index, title: t.title, status: t.status, durationMs: t.durationMs }));
  const info = ctx.run;
  return {
    title: "kubeproof test report",
    generatedAt: ctx.generatedAt,
    ...(ctx.version ? { version: ctx.version } : {}),
    status: run.status,
    durationMs: run.durationMs,
    counts: countTests(tests.map((t) => t.status)),
    ...(ctx.commandLine ? { commandLine: ctx.commandLine } : {}),
    ...(info
      ? {
          run: {
            cluster: info.cluster,
            workers: info.workers,
            rootDir: info.rootDir,
            runId: info.runId,
            startedAt: info.startedAt,
            ...(info.shard ? { shard: info.shard } : {}),
          },
        }
      : {}),
    slowest,
    tests,
    errors: (ctx.errors ?? []).map((e) => ({
      message: stripAnsi(e.message),
      ...(e.location ? { location: formatLocation(e.location) } : {}),
    })),
  };
}

function htmlTest(entry: Entry, index: number, ctx: HtmlReportContext): HtmlTest {
  const { test, result } = entry;
  const explaining = explainingAttempt(result);
  const attempts = result.attempts.map((attempt, i) =>
    htmlAttempt(attempt, i, { explains: explaining?.index === i, ctx }),
  );
  const failed = attempts.find((a) => a.explains && a.failure)?.failure;
  const labels = Object.entries(test.labels).map(([k, v]) => `${k}=${v}`);
  const summary =
    result.status === "skipped" ? result.skipReason : failed ? firstLine(failed.message) : undefined;
  return {
    index,
    id: test.id,
    name: test.name,
    title: testTitle(test),
    location: `${test.location.file}:${test.location.line}`,
    labels: { ...test.labels },
    status: result.status,
    durationMs: result.durationMs,
    ...(result.skipReason ? { skipReason: result.skipReason } : {}),
    ...(summary ? { summary } : {}),
    searchText: [test.id, test.name, test.location.file, ...labels].join(" ").toLowerCase(),
    attempts,
  };
}

function htmlAttempt(
  attempt: TestAttempt,
  index: number,
  opts: { explains: boolean; ctx: HtmlReportContext },
): HtmlAttempt {
  const failed = attempt.status === "failed" || attempt.status === "interrupted";
  const point = failed ? failurePoint(attempt) : undefined;
  const steps = attempt.steps.map((step) => ({
    name: step.name,
    location: formatLocation(step.location),
    status: step.status,
    durationMs: step.durationMs,
    operations: step.operations.map((op) => ({
      type: op.type,
      phase: op.phase,
      ...(op.description ? { description: op.description } : {}),
      location: formatLocation(op.location),
      status: op.status,
      durationMs: op.durationMs,
      ...(op.evaluations !== undefined ? { evaluations: op.evaluations } : {}),
      failing: op === point?.operation,
      ...(op.error ? { message: firstLine(stripAnsi(op.error.message)) } : {}),
    })),
  }));
  return {
    number: index + 1,
    status: attempt.status,
    durationMs: attempt.durationMs,
    ...(attempt.namespace ? { namespace: attempt.namespace } : {}),
    ...(attempt.artifactsDir ? { artifactsDir: attempt.artifactsDir } : {}),
    explains: opts.explains,
    ...(failed ? { failure: htmlFailure(attempt, point ?? {}) } : {}),
    cleanupWarnings: attempt.cleanupWarnings ?? [],
    hints: attempt.hints ?? [],
    steps,
    timeline: timeline(attempt),
    attachments: (attempt.attachments ?? []).map((a) => htmlAttachment(a, opts.ctx.attachments?.get(a.path))),
  };
}

function htmlFailure(attempt: TestAttempt, point: ReturnType<typeof failurePoint>): HtmlFailure {
  const detail = point.detail;
  const location = pointLocation(point);
  const opLocation = point.operation?.location ?? point.step?.location;
  const others = attempt.steps.flatMap((step) =>
    step.operations
      .filter((op) => op.status === "failed" && op !== point.operation && op.error)
      .map((op) => ({
        where: describePoint({ step, operation: op }),
        message: firstLine(stripAnsi(op.error?.message ?? "")),
        location: formatLocation(op.location),
      })),
  );
  const output = point.operation?.output;
  return {
    where: describePoint(point),
    ...(location ? { location: formatLocation(location) } : {}),
    ...(opLocation && location && formatLocation(opLocation) !== formatLocation(location)
      ? { operationLocation: formatLocation(opLocation) }
      : {}),
    message: stripAnsi(detail?.message ?? `${attempt.status} without a recorded error`),
    ...(detail?.subject ? { subject: detail.subject } : {}),
    ...(detail?.diff ? { diff: diffLines(stripAnsi(detail.diff)) } : {}),
    more: (detail?.more ?? []).map((m) => ({
      message: stripAnsi(m.message),
      ...(m.location ? { location: formatLocation(m.location) } : {}),
    })),
    others,
    ...(output && (output.stdout || output.stderr)
      ? {
          output: {
            ...(output.stdout ? { stdout: stripAnsi(output.stdout) } : {}),
            ...(output.stderr ? { stderr: stripAnsi(output.stderr) } : {}),
          },
        }
      : {}),
  };
}

/**
 * Operations run one after another within an attempt, so each starts where the previous one ended.
 * Results carry durations, not start times: the bars leave out the small gaps between operations
 * (and the namespace's set-up and deletion, which the attempt's total includes).
 */
export function timeline(attempt: TestAttempt): HtmlTimelineBar[] {
  const bars: HtmlTimelineBar[] = [];
  let at = 0;
  for (const step of attempt.steps) {
    for (const op of step.operations) {
      const what = op.description ? `${op.type} (${op.description})` : op.type;
      bars.push({
        label: `${step.name} › ${op.phase === "try" ? "" : `${op.phase} `}${what}`,
        status: op.status,
        startMs: at,
        durationMs: op.durationMs,
        location: formatLocation(op.location),
      });
      at += op.durationMs;
    }
  }
  return bars;
}

function attachmentKind(attachment: Attachment): HtmlAttachment["kind"] {
  if (attachment.name.startsWith("objects/")) return "object";
  if (attachment.name.startsWith("logs/")) return "log";
  if (attachment.name === "events.txt") return "events";
  if (attachment.contentType === "text/x-diff") return "diff";
  return "file";
}

function htmlAttachment(attachment: Attachment, resolved: ResolvedAttachment | undefined): HtmlAttachment {
  const kind = attachmentKind(attachment);
  const shown: ResolvedAttachment = resolved ?? {
    name: attachment.name,
    contentType: attachment.contentType,
    truncated: false,
    ...(attachment.body !== undefined ? { text: attachment.body } : { missing: "not read" }),
  };
  const text = shown.text === undefined ? undefined : stripAnsi(shown.text);
  return {
    ...shown,
    kind,
    ...(text === undefined ? {} : { text: kind === "events" ? eventsInTimeOrder(text) : text }),
  };
}

/**
 * Events files list one event a line, starting with its time (`formatEvents`). The API server lists
 * them by name, not time; the page shows them in the order they happened. Lines without a time keep
 * their place relative to each other at the end.
 */
export function eventsInTimeOrder(text: string): string {
  const lines = text
    .replace(/\r\n/g, "\n")
    .split("\n")
    .filter((l) => l !== "");
  const timed = lines.map((line, i) => ({ line, i, t: Date.parse(line.split(/\s+/, 1)[0] ?? "") }));
  timed.sort((a, b) => {
    const ta = Number.isNaN(a.t) ? Infinity : a.t;
    const tb = Number.isNaN(b.t) ? Infinity : b.t;
    return ta === tb ? a.i - b.i : ta - tb;
  });
  return timed.map((x) => x.line).join("\n") + (lines.length > 0 ? "\n" : "");
}
