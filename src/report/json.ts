import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type {
  Attachment,
  FailureDetail,
  RunInfo,
  RunResult,
  Status,
  StepResult,
  TestAttempt,
  TestResult,
} from "../model/result.ts";
import { formatLocation } from "../model/source.ts";
import { CollectingReporter, runStart, type Entry } from "./collect.ts";
import { failureMessage, failurePoint, formatAttempt, formatTestDetails } from "./failure-format.ts";
import type { ReporterOptions } from "./options.ts";
import { plain, stripAnsi } from "./text.ts";
import type {
  CtrfAttachment,
  CtrfAttempt,
  CtrfReport,
  CtrfStatus,
  CtrfTest,
  KubeproofError,
  KubeproofStep,
} from "./json-types.ts";

export type * from "./json-types.ts";

/** The CTRF version the report follows (https://ctrf.io, `specVersion`). */
export const CTRF_SPEC_VERSION = "0.0.0";

function ctrfStatus(status: Status | TestResult["status"]): CtrfStatus {
  if (status === "flaky") return "passed";
  if (status === "interrupted") return "other";
  return status;
}

/** CTRF wants integers; durations are measured with sub-millisecond clocks. */
const int = (ms: number): number => Math.max(0, Math.round(ms));

function errorOf(detail: FailureDetail): KubeproofError {
  return {
    message: stripAnsi(detail.message),
    ...(detail.location ? { location: formatLocation(detail.location) } : {}),
    ...(detail.subject ? { subject: detail.subject } : {}),
    ...(detail.diff ? { diff: detail.diff } : {}),
    ...(detail.more?.length
      ? {
          more: detail.more.map((m) => ({
            message: stripAnsi(m.message),
            ...(m.location ? { location: formatLocation(m.location) } : {}),
          })),
        }
      : {}),
  };
}

/** CTRF attachments: name, type and path; the inline bodies stay out of the report file. */
function attachmentsOf(attachments: readonly Attachment[] | undefined): { attachments?: CtrfAttachment[] } {
  if (!attachments?.length) return {};
  return {
    attachments: attachments.map(({ name, contentType, path }) => ({ name, contentType, path })),
  };
}

function stepsOf(steps: readonly StepResult[]): KubeproofStep[] {
  return steps.map((step) => ({
    name: step.name,
    location: formatLocation(step.location),
    status: step.status,
    durationMs: int(step.durationMs),
    operations: step.operations.map((op) => ({
      type: op.type,
      phase: op.phase,
      location: formatLocation(op.location),
      ...(op.description ? { description: op.description } : {}),
      status: op.status,
      durationMs: int(op.durationMs),
      ...(op.evaluations !== undefined ? { evaluations: op.evaluations } : {}),
      ...(op.error ? { error: errorOf(op.error) } : {}),
      // Output is kept for failed operations only: that is where it explains something, and passing
      // scripts can print a lot.
      ...(op.status === "failed" && op.output ? { output: op.output } : {}),
    })),
  }));
}

function attemptOf(attempt: TestAttempt, index: number): CtrfAttempt {
  const point = failurePoint(attempt);
  const failed = attempt.status !== "passed" && attempt.status !== "skipped";
  const message = failed ? (point.detail?.message ?? attempt.status) : undefined;
  const line = point.detail?.location?.line ?? point.operation?.location.line;
  return {
    attempt: index + 1,
    status: ctrfStatus(attempt.status),
    duration: int(attempt.durationMs),
    ...(message !== undefined ? { message: stripAnsi(message) } : {}),
    ...(failed ? { trace: stripAnsi(formatAttempt(attempt, plain).join("\n")) } : {}),
    ...(failed && line !== undefined ? { line } : {}),
    ...attachmentsOf(attempt.attachments),
    ...(attempt.namespace || attempt.artifactsDir
      ? {
          extra: {
            ...(attempt.namespace ? { namespace: attempt.namespace } : {}),
            ...(attempt.artifactsDir ? { artifactsDir: attempt.artifactsDir } : {}),
          },
        }
      : {}),
  };
}

export function ctrfTest(entry: Entry): CtrfTest {
  const { test, result } = entry;
  const last = result.attempts.at(-1);
  const failed = result.status === "failed" || result.status === "interrupted";
  const message = failed
    ? failureMessage(result)
    : result.status === "skipped"
      ? result.skipReason
      : undefined;
  const diagnosed = [...result.attempts].reverse().find((a) => a.artifactsDir);
  const artifactsDir = diagnosed?.artifactsDir;
  const labels = Object.keys(test.labels).length > 0 ? { labels: { ...test.labels } } : {};
  return {
    name: test.name,
    status: ctrfStatus(result.status),
    duration: int(result.durationMs),
    ...(entry.start !== undefined && entry.stop !== undefined
      ? { start: entry.start, stop: entry.stop }
      : {}),
    ...(message !== undefined ? { message: stripAnsi(message) } : {}),
    ...(failed ? { trace: stripAnsi(formatTestDetails(result, plain).join("\n")) } : {}),
    ...(result.status !== ctrfStatus(result.status) ? { rawStatus: result.status } : {}),
    filePath: test.location.file,
    line: test.location.line,
    suite: [test.location.file],
    type: "e2e",
    ...labels,
    ...(result.attempts.length > 1
      ? { retries: result.attempts.length - 1, retryAttempts: result.attempts.map(attemptOf) }
      : {}),
    ...(result.status === "flaky" ? { flaky: true } : {}),
    ...(last ? { steps: last.steps.map((s) => ({ name: s.name, status: ctrfStatus(s.status) })) } : {}),
    ...attachmentsOf(diagnosed?.attachments),
    extra: {
      id: test.id,
      format: test.format,
      ...(last?.namespace ? { namespace: last.namespace } : {}),
      ...(artifactsDir ? { artifactsDir } : {}),
      ...(failed && last?.error?.location ? { failureLocation: formatLocation(last.error.location) } : {}),
      attempts: result.attempts.length,
      ...(entry.notRun ? { notRun: true } : {}),
      ...(last?.cleanupWarnings?.length ? { cleanupWarnings: last.cleanupWarnings } : {}),
      ...(last?.hints?.length ? { hints: last.hints } : {}),
      steps: last ? stepsOf(last.steps) : [],
    },
  };
}

export interface CtrfContext {
  start: number;
  stop: number;
  timestamp: string;
  version?: string;
  run?: RunInfo;
  /** Errors reported outside any test (`onError`). */
  errors?: readonly FailureDetail[];
}

/** The whole report; pure, so tests and `kubeproof report` can build it without a run. */
export function buildCtrfReport(entries: readonly Entry[], run: RunResult, ctx: CtrfContext): CtrfReport {
  const tests = entries.map(ctrfTest);
  const tally = (status: CtrfStatus): number => tests.filter((t) => t.status === status).length;
  const info = ctx.run;
  return {
    reportFormat: "CTRF",
    specVersion: CTRF_SPEC_VERSION,
    timestamp: ctx.timestamp,
    generatedBy: "kubeproof",
    results: {
      tool: { name: "kubeproof", ...(ctx.version ? { version: ctx.version } : {}) },
      summary: {
        tests: tests.length,
        passed: tally("passed"),
        failed: tally("failed"),
        skipped: tally("skipped"),
        pending: tally("pending"),
        other: tally("other"),
        flaky: tests.filter((t) => t.flaky === true).length,
        suites: new Set(entries.map((e) => e.test.location.file)).size,
        start: int(ctx.start),
        stop: int(ctx.stop),
        duration: int(run.durationMs),
      },
      tests,
      extra: {
        status: run.status,
        ...(info
          ? {
              runId: info.runId,
              rootDir: info.rootDir,
              artifactsDir: info.artifactsDir,
              workers: info.workers,
              cluster: info.cluster,
              ...(info.shard ? { shard: info.shard } : {}),
            }
          : {}),
        ...(ctx.errors?.length ? { errors: ctx.errors.map(errorOf) } : {}),
      },
    },
  };
}

/** Writes the CTRF report to `outputFile` or `<reportDir>/report.json` when the run ends. */
export class JsonReporter extends CollectingReporter {
  readonly outputFile: string;

  constructor(private readonly options: ReporterOptions) {
    super(options.now);
    this.outputFile = resolve(options.outputFile ?? join(options.reportDir, "report.json"));
  }

  async onEnd(result: RunResult): Promise<void> {
    const stop = this.now();
    const report = buildCtrfReport(this.collector.entries(result), result, {
      start: runStart(this.collector.run, this.beganAt ?? stop),
      stop,
      timestamp: new Date(stop).toISOString(),
      ...(this.options.version ? { version: this.options.version } : {}),
      ...(this.collector.run ? { run: this.collector.run } : {}),
      errors: this.errors,
    });
    await mkdir(dirname(this.outputFile), { recursive: true });
    await writeFile(this.outputFile, `${JSON.stringify(report, null, 2)}\n`);
  }
}
