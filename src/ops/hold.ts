import type { AssertMode } from "../model/index.ts";
import { pause } from "../kube/observe.ts";

/**
 * "Holds / keeps holding / never holds", decided over a stream of evaluations of a condition: the
 * watch-driven re-evaluations of `observe`, or the polls of `poll`. One place for the rule, so that
 * assertions on objects, assertions on bindings and the probes (http, metrics, logs) agree on it:
 *
 * - eventually: passes at the first evaluation that holds; fails when the stream ends first;
 * - consistently: fails at the first evaluation that does not hold; passes when the stream ends;
 * - never: fails at the first evaluation that holds; passes when the stream ends.
 *
 * The stream ends at the operation's deadline (its signal). An evaluation that can never succeed (a
 * malformed assertion, an undefined binding) is `broken`: it ends the stream at once.
 */

/** One evaluation: the condition holds now (true), does not (false), or cannot be evaluated. */
export type Evaluation = boolean | "broken";

export type HoldVerdict = "passed" | "failed" | "broken";

export interface HoldResult {
  verdict: HoldVerdict;
  evaluations: number;
}

/**
 * A stream of evaluations: calls `judge` with each one until `judge` returns true (the outcome is
 * decided; resolve true) or the stream ends (resolve false). `observe` and `poll` are such streams.
 */
export type EvaluationStream = (judge: (evaluation: Evaluation) => boolean) => Promise<boolean>;

export async function hold(mode: AssertMode, stream: EvaluationStream): Promise<HoldResult> {
  let evaluations = 0;
  let broken = false;
  const decided = await stream((evaluation) => {
    evaluations += 1;
    if (evaluation === "broken") {
      broken = true;
      return true;
    }
    return mode === "consistently" ? !evaluation : evaluation;
  });
  if (broken) return { verdict: "broken", evaluations };
  // Only eventually is decided in its favour; the others are decided by a violation.
  const passed = mode === "eventually" ? decided : !decided;
  return { verdict: passed ? "passed" : "failed", evaluations };
}

/**
 * A polled stream, for conditions nothing can watch (bindings, HTTP, metrics): evaluates now, then
 * every `intervalMs`, until `evaluate` returns true (resolves true) or `signal` aborts (false).
 * Always evaluates at least once, so an already-expired deadline still gets an answer.
 */
export async function poll(
  signal: AbortSignal,
  intervalMs: number,
  evaluate: () => boolean | Promise<boolean>,
): Promise<boolean> {
  for (;;) {
    if (await evaluate()) return true;
    if (signal.aborted) return false;
    await pause(intervalMs, signal);
  }
}
