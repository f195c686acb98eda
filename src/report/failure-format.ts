import type {
  FailureDetail,
  OperationResult,
  StepPhase,
  StepResult,
  TestAttempt,
  TestInfo,
  TestResult,
} from "../model/result.ts";
import type { SourceLocation } from "../model/source.ts";
import { formatLocation } from "../model/source.ts";
import { indent, plain, splitLines, tailLines, testTitle, type Colors } from "./text.ts";

/**
 * One failed (or flaky) test rendered for people and machines alike: the terminal reporters print it
 * indented under a numbered header, JUnit puts the plain text in `<failure>`, the JSON report in
 * `trace`, GitHub in the annotation. One renderer keeps them saying the same thing.
 */

export type FailingOperation = OperationResult & { phase: StepPhase };

/** Where an attempt failed: the operation that decided it, its step, and the detail to show. */
export interface FailurePoint {
  step?: StepResult;
  operation?: FailingOperation;
  detail?: FailureDetail;
}

const OUTPUT_TAIL_LINES = 20;

function sameDetail(a: FailureDetail | undefined, b: FailureDetail | undefined): boolean {
  return a !== undefined && b !== undefined && (a === b || a.message === b.message);
}

/**
 * The operation that made an attempt fail. The attempt's own error names the cause when the runner set
 * one: it belongs to the operation that carries the same error, or to one that failed without its own
 * (a test timeout hits the operation that was running). Otherwise the first failed operation is the
 * cause and later failures (catch, finally, cleanup) are consequences.
 */
export function failurePoint(attempt: TestAttempt): FailurePoint {
  const cause = attempt.error;
  for (const step of attempt.steps) {
    for (const operation of step.operations) {
      if (operation.status !== "failed" && operation.status !== "interrupted") continue;
      if (cause === undefined || operation.error === undefined || sameDetail(operation.error, cause)) {
        return { step, operation, detail: operation.error ?? cause };
      }
    }
  }
  const step = attempt.steps.find((s) => s.status === "failed" || s.status === "interrupted");
  return { ...(step ? { step } : {}), ...(cause ? { detail: cause } : {}) };
}

/** `step scale › assert` (with the phase when it is not `try`), the operation's description in parentheses. */
export function describePoint(point: FailurePoint): string {
  const parts: string[] = [];
  if (point.step) parts.push(`step ${point.step.name}`);
  const op = point.operation;
  if (op) {
    if (op.phase !== "try") parts.push(op.phase);
    parts.push(op.description ? `${op.type} (${op.description})` : op.type);
  }
  return parts.join(" › ");
}

/** The `file:line:col` an editor should open: the failing key when known, else the operation or step. */
export function pointLocation(point: FailurePoint): SourceLocation | undefined {
  return point.detail?.location ?? point.operation?.location ?? point.step?.location;
}

function sameLocation(a: SourceLocation | undefined, b: SourceLocation | undefined): boolean {
  return a !== undefined && b !== undefined && formatLocation(a) === formatLocation(b);
}

/** What a unified diff's line is; the terminal and the HTML report colour each kind the same way. */
export type DiffLineKind = "header" | "added" | "removed" | "hunk" | "context";

export function diffLineKind(line: string): DiffLineKind {
  if (line.startsWith("+++") || line.startsWith("---")) return "header";
  if (line.startsWith("+")) return "added";
  if (line.startsWith("-")) return "removed";
  if (line.startsWith("@@")) return "hunk";
  return "context";
}

export function diffLines(diff: string): { kind: DiffLineKind; text: string }[] {
  return splitLines(diff.trimEnd()).map((text) => ({ kind: diffLineKind(text), text }));
}

export function colorDiff(diff: string, c: Colors): string[] {
  const paint: Record<DiffLineKind, (text: string) => string> = {
    header: c.dim,
    added: c.green,
    removed: c.red,
    hunk: c.cyan,
    context: (text) => text,
  };
  return diffLines(diff).map(({ kind, text }) => paint[kind](text));
}

function outputLines(name: string, text: string | undefined, c: Colors): string[] {
  if (text === undefined || text.trim() === "") return [];
  const { lines, omitted } = tailLines(text, OUTPUT_TAIL_LINES);
  const note = omitted > 0 ? ` (last ${lines.length} of ${lines.length + omitted} lines)` : "";
  return ["", c.dim(`${name}${note}:`), ...indent(lines, "  ")];
}

/** Everything known about one failed attempt, as unindented lines. */
export function formatAttempt(attempt: TestAttempt, c: Colors): string[] {
  const point = failurePoint(attempt);
  const out: string[] = [];
  const where = describePoint(point);
  const opLocation = point.operation?.location ?? point.step?.location;
  if (where !== "") {
    out.push(`${where}${opLocation ? ` at ${c.cyan(formatLocation(opLocation))}` : ""}`);
  }
  const detail = point.detail;
  if (detail?.subject) out.push(c.dim(`on ${detail.subject}`));
  if (out.length > 0) out.push("");

  const message = detail?.message ?? `${attempt.status} without a recorded error`;
  out.push(...splitLines(message).map((line) => c.red(line)));
  if (detail?.location && !sameLocation(detail.location, opLocation)) {
    out.push(c.dim(`  at ${formatLocation(detail.location)}`));
  }
  if (detail?.diff) out.push("", ...indent(colorDiff(detail.diff, c), "  "));
  if (detail?.more && detail.more.length > 0) {
    out.push("", "also:");
    for (const more of detail.more) {
      const at = more.location ? c.dim(` (${formatLocation(more.location)})`) : "";
      out.push(`  - ${more.message}${at}`);
    }
  }

  // Failures after the cause (a cleanup that could not delete, a catch that failed) still matter.
  const others = attempt.steps.flatMap((step) =>
    step.operations
      .filter((op) => op.status === "failed" && op !== point.operation && op.error)
      .map((op) => ({ step, operation: op, detail: op.error })),
  );
  if (others.length > 0) {
    out.push("", "other failures:");
    for (const other of others) {
      const loc = c.dim(` (${formatLocation(other.operation.location)})`);
      out.push(`  - ${describePoint(other)}: ${firstLine(other.detail?.message ?? "")}${loc}`);
    }
  }

  const output = point.operation?.output;
  out.push(...outputLines("stdout", output?.stdout, c), ...outputLines("stderr", output?.stderr, c));

  const tail: string[] = [];
  for (const hint of attempt.hints ?? []) tail.push(c.yellow(`hint: ${hint}`));
  for (const warning of attempt.cleanupWarnings ?? []) tail.push(c.yellow(`cleanup: ${warning}`));
  if (attempt.namespace) tail.push(`namespace: ${attempt.namespace}`);
  if (attempt.artifactsDir) tail.push(`artifacts: ${attempt.artifactsDir}`);
  if (tail.length > 0) out.push("", ...tail);
  return out;
}

export function firstLine(text: string): string {
  return splitLines(text)[0] ?? "";
}

/** One line per earlier failed attempt of a test that was retried: where and why it failed. */
function earlierAttempts(attempts: readonly TestAttempt[], upTo: number, c: Colors): string[] {
  const out: string[] = [];
  for (let i = 0; i < upTo; i++) {
    const attempt = attempts[i];
    if (!attempt || attempt.status === "passed") continue;
    const point = failurePoint(attempt);
    const where = describePoint(point);
    const loc = pointLocation(point);
    const message = firstLine(point.detail?.message ?? attempt.status);
    out.push(
      `attempt ${i + 1} of ${attempts.length}: ${where ? `${where}: ` : ""}${message}${loc ? c.dim(` (${formatLocation(loc)})`) : ""}`,
    );
  }
  return out;
}

/** The attempt whose failure explains the result: the last one, or for a flaky test the last failed one. */
export function explainingAttempt(result: TestResult): { attempt: TestAttempt; index: number } | undefined {
  for (let i = result.attempts.length - 1; i >= 0; i--) {
    const attempt = result.attempts[i];
    if (attempt && (result.status !== "flaky" || attempt.status !== "passed")) return { attempt, index: i };
  }
  return undefined;
}

/** The body under a failure's header: plain with `plain` colours, as JUnit, JSON and GitHub need. */
export function formatTestDetails(result: TestResult, c: Colors = plain): string[] {
  const explaining = explainingAttempt(result);
  if (!explaining) return [result.skipReason ?? `${result.status} without a recorded attempt`];
  const { attempt, index } = explaining;
  const total = result.attempts.length;
  const out: string[] = [];
  if (result.status === "flaky") {
    out.push(c.yellow(`flaky: attempt ${index + 1} of ${total} failed, attempt ${total} passed`), "");
  } else if (result.status === "interrupted") {
    out.push(c.yellow("interrupted"), "");
  }
  out.push(...formatAttempt(attempt, c));
  const earlier = earlierAttempts(result.attempts, index, c);
  if (earlier.length > 0) out.push("", ...earlier);
  return out;
}

/** `  1) e2e/widget/chainsaw-test.yaml:4 › widget-scales-out`, then the indented details. */
export function formatFailure(test: TestInfo, result: TestResult, index: number, c: Colors): string {
  const paint = result.status === "failed" ? c.red : c.yellow;
  const status = result.status === "failed" ? "" : ` (${result.status})`;
  const header = paint(`  ${index}) ${testTitle(test)}${status}`);
  return [header, "", ...indent(formatTestDetails(result, c), "    ")].join("\n") + "\n";
}

/** The main message of a failed result, for one-line uses (JUnit's `message`, CTRF's `message`). */
export function failureMessage(result: TestResult): string | undefined {
  const explaining = explainingAttempt(result);
  if (!explaining) return undefined;
  const point = failurePoint(explaining.attempt);
  return point.detail?.message ?? (explaining.attempt.status === "passed" ? undefined : "failed");
}
