import { formatDuration } from "../../source/duration.ts";

/**
 * When an unschedulable Job pod is an ERROR. A pod no node can ever take (a node selector nothing
 * matches, a taint nothing tolerates) is one at once: waiting only burns the deadline. A pod that
 * waits for capacity ("Insufficient cpu", "Too many pods") usually gets it when other pods end,
 * and the scheduler retries on its own as they do, so it is given a grace period first: on a busy
 * CI cluster the pods of an earlier run are often still terminating when the gate starts.
 */

/** How long a pod waiting only for capacity may stay unschedulable. */
export const CAPACITY_GRACE_MS = 60_000;

export type SchedulingVerdict =
  { state: "error"; message: string } | { state: "waiting"; message: string; recheckInMs: number };

/**
 * The per-node reasons of a scheduler message, e.g. `0/2 nodes are available: 1 Insufficient cpu,
 * 1 Too many pods. preemption: ...` gives `["Insufficient cpu", "Too many pods"]`.
 */
export function nodeReasons(message: string): string[] {
  // The list ends at the first sentence end; what follows (preemption, claims) is not per node.
  const available = /nodes are available: (.*?)(?:\.\s|\.?$)/s.exec(message);
  if (!available?.[1]) return [];
  return available[1]
    .split(/, (?=\d+ )/)
    .map((part) => part.replace(/^\d+ /, "").trim())
    .filter((part) => part !== "");
}

function isCapacity(reason: string): boolean {
  return /^Insufficient \S+$/.test(reason) || reason === "Too many pods";
}

/** Unschedulable for lack of capacity only: resources other pods hold now. */
export function waitsForCapacity(message: string): boolean {
  const reasons = nodeReasons(message);
  return reasons.length > 0 && reasons.every(isCapacity);
}

/**
 * The verdict on a pod whose PodScheduled condition is False/Unschedulable, `sinceMs` being when it
 * was first seen: a pod is unschedulable from its creation until it is scheduled, so that is how
 * long it has waited (measured on one clock, whatever the server's).
 */
export function unschedulableVerdict(
  message: string | undefined,
  sinceMs: number,
  now: number,
  graceMs: number = CAPACITY_GRACE_MS,
): SchedulingVerdict {
  const text = message ?? "no node fits the pod";
  if (!waitsForCapacity(text)) return { state: "error", message: text };
  const elapsed = Math.max(0, now - sinceMs);
  if (elapsed >= graceMs) {
    return {
      state: "error",
      message: `${text} (still waiting for capacity after ${formatDuration(graceMs)})`,
    };
  }
  return { state: "waiting", message: text, recheckInMs: graceMs - elapsed };
}
