import { MAX_FAILURES, type CheckFeedback, type FeedbackDocument } from "../../model/feedback.ts";
import { tailText } from "../../process/index.ts";

/**
 * Shrinks a feedback document until its rendering fits a byte budget, giving up the least useful
 * content first: the start of long log excerpts down to a short tail (their ends stay), then
 * failures beyond the first of each check, then the rest of the excerpts, then the length of
 * messages, then passed and skipped checks (the tier list still counts them), then the remaining
 * failures, and last the later failed checks.
 */

/** Excerpts are shortened to this before any failure is dropped: a failure is worth more than a log. */
const EXCERPT_FLOOR = 512;
/** Messages start at most this long; a longer one is a dump, not a message. */
export const MESSAGE_MAX = 2048;
const MESSAGE_MIN = 160;
/** The smallest budget accepted: a verdict and a few check headers. */
export const MIN_MAX_BYTES = 1024;

interface Limits {
  excerptBytes: number;
  failures: number;
  messageBytes: number;
  /** How many passed and skipped checks are kept, then how many of the others. */
  quietChecks: number;
  otherChecks: number;
}

/** The first `maxBytes` bytes of `text` on a character boundary, marked with `…` when cut. */
export function headBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - 3);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return `${bytes.subarray(0, end).toString("utf8")}…`;
}

function limitCheck(check: CheckFeedback, limits: Limits): CheckFeedback {
  const failures = check.failures.slice(0, limits.failures);
  const out: CheckFeedback = {
    ...check,
    failures: failures.map((f) => ({ ...f, message: headBytes(f.message, limits.messageBytes) })),
    omittedFailures: check.omittedFailures + (check.failures.length - failures.length),
    logExcerpt: tailText(check.logExcerpt, limits.excerptBytes).text,
  };
  if (check.firstBuildError) {
    out.firstBuildError = {
      ...check.firstBuildError,
      message: headBytes(check.firstBuildError.message, limits.messageBytes),
    };
  }
  return out;
}

function isQuiet(check: CheckFeedback): boolean {
  return check.status === "passed" || check.status === "skipped";
}

/** The first `quiet` passed/skipped checks and the first `other` others, in their original order. */
function keptChecks(checks: readonly CheckFeedback[], quiet: number, other: number): CheckFeedback[] {
  let quietLeft = quiet;
  let otherLeft = other;
  return checks.filter((c) => (isQuiet(c) ? quietLeft-- > 0 : otherLeft-- > 0));
}

function apply(doc: FeedbackDocument, limits: Limits): FeedbackDocument {
  const checks = keptChecks(doc.checks, limits.quietChecks, limits.otherChecks).map((c) =>
    limitCheck(c, limits),
  );
  const shrunk: FeedbackDocument = { ...doc, checks };
  const changed = JSON.stringify(shrunk) !== JSON.stringify(doc);
  return { ...shrunk, truncated: doc.truncated || changed };
}

/** The largest value in [lo, hi] for which `fits` holds (it is monotone), or undefined. */
function largest(lo: number, hi: number, fits: (v: number) => boolean): number | undefined {
  if (!fits(lo)) return undefined;
  let good = lo;
  let high = hi;
  while (good < high) {
    const mid = Math.ceil((good + high) / 2);
    if (fits(mid)) good = mid;
    else high = mid - 1;
  }
  return good;
}

export function fitDocument(
  doc: FeedbackDocument,
  maxBytes: number,
  measure: (doc: FeedbackDocument) => number,
): FeedbackDocument {
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_MAX_BYTES) {
    throw new RangeError(
      `the feedback size limit must be an integer of at least ${MIN_MAX_BYTES} bytes, got ${maxBytes}`,
    );
  }
  const limits: Limits = {
    excerptBytes: Math.max(0, ...doc.checks.map((c) => Buffer.byteLength(c.logExcerpt))),
    failures: Math.max(0, ...doc.checks.map((c) => c.failures.length), MAX_FAILURES),
    messageBytes: MESSAGE_MAX,
    quietChecks: doc.checks.filter(isQuiet).length,
    otherChecks: doc.checks.filter((c) => !isQuiet(c)).length,
  };
  const fits = (l: Limits): boolean => measure(apply(doc, l)) <= maxBytes;
  if (fits(limits)) return apply(doc, limits);
  const stages: [keyof Limits, number][] = [
    ["excerptBytes", Math.min(EXCERPT_FLOOR, limits.excerptBytes)],
    ["failures", Math.min(1, limits.failures)],
    ["excerptBytes", 0],
    ["messageBytes", MESSAGE_MIN],
    ["quietChecks", 0],
    ["failures", 0],
    ["otherChecks", 0],
  ];
  for (const [key, floor] of stages) {
    const value = largest(floor, limits[key], (v) => fits({ ...limits, [key]: v }));
    if (value !== undefined) return apply(doc, { ...limits, [key]: value });
    limits[key] = floor;
  }
  // Not even the verdict and tier list fit: return the smallest form rather than nothing.
  return apply(doc, limits);
}
