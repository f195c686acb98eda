import type { CheckStatus } from "./feedback.ts";

/**
 * Progress of a gate run, for the terminal. The gate emits these and never prints; reporters
 * (`src/report/gate.ts`) render them. They live in the model so that reporters depend on the model
 * only, not on the gate.
 */
export type GateEvent =
  | { type: "tier-begin"; tier: string; kind: "local" | "cluster"; checks: number }
  | { type: "tier-skip"; tier: string; reason: string }
  | { type: "tier-end"; tier: string; status: CheckStatus; durationMs: number }
  | { type: "check-begin"; tier: string; check: string }
  | { type: "check-skip"; tier: string; check: string; reason: string }
  | {
      type: "check-end";
      tier: string;
      check: string;
      status: CheckStatus;
      exitCode: number | null;
      durationMs: number;
    }
  | { type: "job-created"; tier: string; namespace: string; name: string; commit: string }
  /** The Job's pod moved on: scheduled, pulling, cloning, running, finished. */
  | { type: "job-phase"; tier: string; phase: string }
  | { type: "job-deleted"; tier: string; namespace: string; name: string }
  /** Something the person running the gate should know (uncommitted changes, a dropped branch name). */
  | { type: "note"; message: string };

export type GateEventHandler = (event: GateEvent) => void;
