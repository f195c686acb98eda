import { cleanOutput } from "./ansi.ts";
import { fitDocument, headBytes } from "./fit.ts";
import { parseOutput } from "./parsers/index.ts";
import { maskSecrets, relativizePaths } from "./paths.ts";
import type {
  CheckFeedback,
  CheckStatus,
  FeedbackDocument,
  TierSummary,
  Verdict,
} from "../../model/feedback.ts";
import { tailText } from "../../process/index.ts";

/**
 * The feedback document: what `kubeproof gate` ran and what failed where, small enough to hand to an
 * automated coder whole. Everything in it passes through the same cleaning: terminal codes removed,
 * secrets masked, paths made repository-relative.
 */

export const DEFAULT_MAX_BYTES = 16384;

/** One check as it ran: the gate's tiers fill this in. */
export interface CheckInput {
  tier: string;
  name: string;
  command?: string;
  /** null when the process did not exit on its own (killed on timeout, by a signal, never started). */
  exitCode: number | null;
  durationMs: number;
  timedOut?: boolean;
  /** Why the check did not run; present only when it did not. */
  skipped?: string;
  /** Why the check could not run or finish, when that is not a test failure (spawn error, Job lost). */
  error?: string;
  /** Combined stdout and stderr, usually a TailBuffer's text. */
  output?: string;
}

export interface TierInput {
  name: string;
  /** Why the tier did not run (an earlier tier failed, not requested). */
  skipped?: string;
  /** Wall time of the tier; defaults to the sum of its checks' durations. */
  durationMs?: number;
}

export interface FeedbackInputs {
  checks: readonly CheckInput[];
  /** Tiers in order, including ones that did not run; defaults to the tiers named by the checks. */
  tiers?: readonly TierInput[];
  /** The repository root on this machine. */
  repoRoot?: string;
  /** Other places the same tree was checked out (the Job's checkout directory). */
  checkoutDirs?: readonly string[];
  /** The Go module path, to map `go test` file names to repository paths (inferred when absent). */
  goModule?: string;
  /** Values that must never appear in feedback (tokens, passwords from the environment). */
  secrets?: readonly string[];
}

export interface FeedbackOptions {
  /** Upper bound of `serializeFeedback(doc)` in bytes (UTF-8). Default 16384, at least 1024. */
  maxBytes?: number;
}

/** Status of one check, from what happened to its process. */
export function checkStatus(check: CheckInput): CheckStatus {
  if (check.skipped !== undefined) return "skipped";
  if (check.timedOut) return "timedOut";
  if (check.error !== undefined || check.exitCode === null) return "error";
  return check.exitCode === 0 ? "passed" : "failed";
}

/**
 * FAIL if anything failed (the reader has something to fix), else TIMEOUT, else ERROR (including
 * when there were no checks at all: nothing was proven), else PASS (also when every check was
 * skipped because no file it covers changed).
 */
export function verdictOf(statuses: readonly CheckStatus[]): Verdict {
  if (statuses.includes("failed")) return "FAIL";
  if (statuses.includes("timedOut")) return "TIMEOUT";
  if (statuses.includes("error")) return "ERROR";
  // Nothing ran at all proves nothing; every check skipped because no file it covers changed is a
  // verdict: the change cannot break them.
  if (statuses.length === 0 || statuses.some((s) => s !== "passed" && s !== "skipped")) return "ERROR";
  return "PASS";
}

function tierStatus(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes("failed")) return "failed";
  if (statuses.includes("timedOut")) return "timedOut";
  if (statuses.includes("error")) return "error";
  return statuses.includes("passed") ? "passed" : "skipped";
}

/** The document's own serialization; the size limit applies to exactly this text. */
export function serializeFeedback(doc: FeedbackDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const NAME_BYTES = 200;
const REASON_BYTES = 2000;

function durationOf(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : 0;
}

export function buildFeedback(inputs: FeedbackInputs, options: FeedbackOptions = {}): FeedbackDocument {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const secrets = inputs.secrets ?? [];
  const roots = [inputs.repoRoot ?? "", ...(inputs.checkoutDirs ?? [])];
  const scrub = (text: string, edges = false): string =>
    relativizePaths(maskSecrets(cleanOutput(text), secrets, { edges }), { roots, goModule: inputs.goModule });
  const short = (text: string, bytes: number): string => headBytes(scrub(text), bytes);

  const checks = inputs.checks.map((input): CheckFeedback => {
    const status = checkStatus(input);
    // The output may be a tail already, so a secret may be cut at its start: mask its edges too.
    const output = scrub(input.output ?? "", true);
    const parsed =
      status === "passed" || status === "skipped"
        ? undefined
        : parseOutput(output, { goModule: inputs.goModule });
    const check: CheckFeedback = {
      tier: short(input.tier, NAME_BYTES),
      name: short(input.name, NAME_BYTES),
      status,
      exitCode: input.exitCode,
      durationMs: durationOf(input.durationMs),
      timedOut: input.timedOut ?? false,
      failures: parsed?.failures ?? [],
      omittedFailures: parsed?.omittedFailures ?? 0,
      logExcerpt: parsed ? tailText(output, maxBytes).text : "",
    };
    if (input.command !== undefined) check.command = short(input.command, REASON_BYTES);
    if (input.skipped !== undefined) check.skipped = short(input.skipped, REASON_BYTES);
    if (input.error !== undefined) check.error = short(input.error, REASON_BYTES);
    const firstBuildError = parsed?.buildErrors[0];
    if (firstBuildError) check.firstBuildError = firstBuildError;
    return orderKeys(check);
  });

  const tierInputs: readonly TierInput[] =
    inputs.tiers ?? [...new Set(inputs.checks.map((c) => c.tier))].map((name) => ({ name }));
  const tiers = tierInputs.map((tier): TierSummary => {
    const own = checks.filter((_, i) => inputs.checks[i]?.tier === tier.name);
    const summary: TierSummary = {
      name: short(tier.name, NAME_BYTES),
      status: tier.skipped !== undefined ? "skipped" : tierStatus(own.map((c) => c.status)),
      durationMs: durationOf(tier.durationMs ?? own.reduce((sum, c) => sum + c.durationMs, 0)),
      checks: own.filter((c) => c.status !== "skipped").length,
    };
    if (tier.skipped !== undefined) summary.skipped = short(tier.skipped, REASON_BYTES);
    return summary;
  });

  const doc: FeedbackDocument = {
    schemaVersion: 1,
    verdict: verdictOf(checks.map((c) => c.status)),
    tiers,
    checks,
    truncated: false,
  };
  return fitDocument(doc, maxBytes, (d) => Buffer.byteLength(serializeFeedback(d)));
}

/** The schema's key order, so the JSON reads the same whichever optional fields are set. */
function orderKeys(check: CheckFeedback): CheckFeedback {
  const { tier, name, command, status, exitCode, durationMs, timedOut, skipped, error, firstBuildError } =
    check;
  return {
    tier,
    name,
    ...(command !== undefined ? { command } : {}),
    status,
    exitCode,
    durationMs,
    timedOut,
    ...(skipped !== undefined ? { skipped } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(firstBuildError !== undefined ? { firstBuildError } : {}),
    failures: check.failures,
    omittedFailures: check.omittedFailures,
    logExcerpt: check.logExcerpt,
  };
}
