import type { GateCheck } from "../../../src/gate/config.ts";
import type { CollectedJob, PodLike } from "../../../src/gate/job/verdict.ts";

/** Pod and Job states as the API server reports them, for the verdict tests. */

export const CHECKS: GateCheck[] = [
  { name: "unit", run: "make test", timeout: 60_000 },
  { name: "e2e", run: "make e2e", timeout: 60_000 },
];

export function pod(status: PodLike["status"], extra: Partial<PodLike> = {}): PodLike {
  return {
    metadata: { name: "p", creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { nodeName: "n1" },
    status,
    ...extra,
  };
}

export const terminated = (
  exitCode: number,
  message = "",
  reason = exitCode === 0 ? "Completed" : "Error",
): { state: { terminated: { exitCode: number; message: string; reason: string } } } => ({
  state: { terminated: { exitCode, message, reason } },
});

export function collected(extra: Partial<CollectedJob>): CollectedJob {
  return {
    tier: "cluster",
    checks: CHECKS,
    assessment: { state: "finished", outcome: "complete" },
    job: "gates/kp-gate-cluster-x",
    deadlineSeconds: 600,
    durationMs: 12_000,
    ...extra,
  };
}

export const summary = (checks: object[]): string => JSON.stringify({ v: 1, checks });
