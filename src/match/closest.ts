/**
 * Picks the candidate that comes closest to matching, so a failed assertion over many objects (a
 * label selector, a list) can show one focused diff instead of one per object.
 */
import { match, type MatchOptions, type MatchResult } from "./match.ts";

export interface ClosestMatch {
  index: number;
  candidate: unknown;
  result: MatchResult;
}

/** Evaluation errors weigh more than mismatches: a candidate that fails to evaluate is rarely "close". */
const FATAL_WEIGHT = 100;

function score(result: MatchResult): number {
  return result.failures.reduce((total, f) => total + (f.fatal ? FATAL_WEIGHT : 1), 0);
}

/** The candidate with the fewest failures (the first one on ties); `undefined` when there are none. */
export function closestMatch(
  expected: unknown,
  candidates: readonly unknown[],
  options: MatchOptions,
): ClosestMatch | undefined {
  let best: ClosestMatch | undefined;
  let bestScore = Infinity;
  candidates.forEach((candidate, index) => {
    if (bestScore === 0) return;
    const result = match(expected, candidate, options);
    const s = score(result);
    if (s < bestScore) {
      best = { index, candidate, result };
      bestScore = s;
    }
  });
  return best;
}
