/**
 * The gate: tiers of checks, run on this machine or in a clean-room Kubernetes Job, and feedback an
 * automated coder can act on.
 */
export { validateGate } from "./config-file.ts";
export {
  clusterBudgetSeconds,
  isClusterTier,
  type ClusterTier,
  type GateCheck,
  type GateConfig,
  type GateTier,
  type LocalTier,
} from "./config.ts";
export type { GateEvent, GateEventHandler } from "../model/gate-events.ts";
export { GATE_EXIT_CODES, GateUsageError, runGate, type GateOptions, type GateResult } from "./gate.ts";
export { runLocalTier, runCheck, type LocalTierOptions } from "./local.ts";
export { runJobTier, type JobTierOptions, type JobTierResult } from "./job/run.ts";
export { buildJob, buildServiceAccount, jobName } from "./job/manifest.ts";
export { globMatcher, anyMatch } from "./glob.ts";
