import { formatDuration } from "../../source/duration.ts";
import type { GateCheck } from "../config.ts";
import type { CheckInput } from "../feedback/index.ts";
import { CHECKS_CONTAINER, CLONE_CONTAINER } from "./manifest.ts";
import { unschedulableVerdict } from "./scheduling.ts";
import { parseSummary, splitLog } from "./summary.ts";

/**
 * From a Job and its pod to results. `assess` decides, from what the watches saw, whether the Job
 * is still on its way, failed to start (ERROR, early, with the reason), or finished; `jobCheckResults`
 * turns a finished or failed Job into per-check results. A Job that reports no summary never counts
 * as passed.
 */

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}
interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string; message?: string };
}
interface ContainerStatus {
  name?: string;
  state?: ContainerState;
}
export interface PodLike {
  metadata: { name?: string; creationTimestamp?: string; deletionTimestamp?: string };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
  };
}
export interface JobLike {
  status?: { conditions?: Condition[] };
}

export type Assessment =
  /** `recheckInMs`: the verdict changes by then even if nothing else happens. */
  | { state: "running"; phase: string; recheckInMs?: number }
  | { state: "error"; reason: string; message: string }
  | { state: "finished"; outcome: "complete" | "failed" | "deadline"; reason?: string; message?: string };

/** Waiting reasons that will not resolve by waiting longer: the image or the pod spec is wrong. */
const START_ERRORS = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "ErrImageNeverPull",
  "CreateContainerConfigError",
  "CreateContainerError",
  "RunContainerError",
]);

function trueCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type && c.status === "True");
}

function statusOf(pod: PodLike | undefined, container: string): ContainerStatus | undefined {
  const all = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? [])];
  return all.find((s) => s.name === container);
}

export function terminatedState(
  pod: PodLike | undefined,
  container: string,
): ContainerState["terminated"] | undefined {
  return statusOf(pod, container)?.state?.terminated;
}

function text(reason: string | undefined, message: string | undefined): string {
  return [reason, message].filter((p) => p !== undefined && p !== "").join(": ");
}

export interface AssessOptions {
  /** The time now, in ms since the epoch. */
  now?: number;
  /** When the pod was first seen, on the same clock as `now`; default its creationTimestamp. */
  podSeenAt?: number;
  /** How long a pod may wait for capacity before it is an ERROR (scheduling.ts). */
  capacityGraceMs?: number;
}

/** Where the Job stands, from its latest state and its newest pod's. */
export function assess(
  job: JobLike | undefined,
  pod: PodLike | undefined,
  options: AssessOptions = {},
): Assessment {
  const unschedulable = scheduling(pod, options);
  if (unschedulable?.state === "error") return unschedulable;
  const podError = startError(pod);
  if (podError) return podError;
  const conditions = job?.status?.conditions;
  const failed = trueCondition(conditions, "Failed");
  if (failed) {
    return {
      state: "finished",
      outcome: failed.reason === "DeadlineExceeded" ? "deadline" : "failed",
      ...(failed.reason !== undefined ? { reason: failed.reason } : {}),
      ...(failed.message !== undefined ? { message: failed.message } : {}),
    };
  }
  if (trueCondition(conditions, "Complete")) return { state: "finished", outcome: "complete" };
  return unschedulable ?? { state: "running", phase: phaseOf(pod) };
}

/** The pod's scheduling trouble, if it has any: an ERROR, or a wait for capacity. */
function scheduling(pod: PodLike | undefined, options: AssessOptions): Assessment | undefined {
  const scheduled = pod?.status?.conditions?.find((c) => c.type === "PodScheduled");
  if (scheduled?.status !== "False" || scheduled.reason !== "Unschedulable") return undefined;
  const now = options.now ?? Date.now();
  const created = Date.parse(pod?.metadata.creationTimestamp ?? "");
  const since = options.podSeenAt ?? (Number.isNaN(created) ? now : created);
  const verdict = unschedulableVerdict(scheduled.message, since, now, options.capacityGraceMs);
  if (verdict.state === "error") return { state: "error", reason: "Unschedulable", message: verdict.message };
  return {
    state: "running",
    phase: `waiting for capacity: ${verdict.message}`,
    recheckInMs: verdict.recheckInMs,
  };
}

/** ERROR reasons visible before the Job gives up: they would only burn the deadline. */
function startError(pod: PodLike | undefined): Assessment | undefined {
  if (pod === undefined) return undefined;
  for (const name of [CLONE_CONTAINER, CHECKS_CONTAINER]) {
    const waiting = statusOf(pod, name)?.state?.waiting;
    if (waiting?.reason !== undefined && START_ERRORS.has(waiting.reason)) {
      return {
        state: "error",
        reason: waiting.reason,
        message: `container ${name}: ${waiting.message || waiting.reason}`,
      };
    }
  }
  const clone = terminatedState(pod, CLONE_CONTAINER);
  if (clone && clone.exitCode !== 0) {
    return {
      state: "error",
      reason: "CloneFailed",
      message:
        clone.message?.trim() ||
        `the clone exited with ${clone.exitCode ?? "no code"} (${clone.reason ?? "no reason"})`,
    };
  }
  return undefined;
}

function phaseOf(pod: PodLike | undefined): string {
  if (pod === undefined) return "waiting for the pod";
  if (!pod.spec?.nodeName) return "scheduling";
  const clone = statusOf(pod, CLONE_CONTAINER)?.state;
  if (clone?.running) return "cloning";
  if (!clone?.terminated) return "starting";
  const checks = statusOf(pod, CHECKS_CONTAINER)?.state;
  if (checks?.terminated) return "finishing";
  if (checks?.running) return "running checks";
  return "starting checks";
}

/** The pod a verdict is about: the newest one (a disrupted pod may have been replaced). */
export function newestPod<T extends PodLike>(pods: Iterable<T>): T | undefined {
  let newest: T | undefined;
  for (const pod of pods) {
    if (
      newest === undefined ||
      (pod.metadata.creationTimestamp ?? "") >= (newest.metadata.creationTimestamp ?? "")
    )
      newest = pod;
  }
  return newest;
}

export interface CollectedJob {
  tier: string;
  /** The checks the Job ran, in order. */
  checks: readonly GateCheck[];
  assessment: Exclude<Assessment, { state: "running" }>;
  pod?: PodLike;
  /** Tail of the checks container's log. */
  log?: string;
  /** Tail of the clone container's log, for a failed clone. */
  cloneLog?: string;
  /** `namespace/name`, for messages. */
  job: string;
  deadlineSeconds: number;
  durationMs: number;
}

/** Name of the entry that stands for the Job itself; no check can be called this. */
export const JOB_ENTRY = "(job)";

/** Results when the Job could not be created or followed: the reason, and every check not run. */
export function setupFailure(
  tier: string,
  checks: readonly GateCheck[],
  job: string,
  reason: string,
  message: string,
  durationMs: number,
): CheckInput[] {
  return jobCheckResults({
    tier,
    checks,
    job,
    assessment: { state: "error", reason, message },
    deadlineSeconds: 0,
    durationMs,
  });
}

export function jobCheckResults(c: CollectedJob): CheckInput[] {
  const base = (check: GateCheck): Pick<CheckInput, "tier" | "name" | "command"> => ({
    tier: c.tier,
    name: check.name,
    command: check.run,
  });
  const jobEntry = (error: string, output = "", timedOut = false): CheckInput => ({
    tier: c.tier,
    name: JOB_ENTRY,
    command: `Job ${c.job}`,
    exitCode: null,
    durationMs: c.durationMs,
    error,
    output,
    ...(timedOut ? { timedOut } : {}),
  });
  const a = c.assessment;
  if (a.state === "error") {
    const output = a.reason === "CloneFailed" ? (c.cloneLog ?? "") : "";
    return [
      jobEntry(`${a.reason}: ${a.message}`, output),
      ...c.checks.map((check) => ({
        ...base(check),
        exitCode: null,
        durationMs: 0,
        skipped: `not run: ${a.reason}`,
      })),
    ];
  }
  const terminated = terminatedState(c.pod, CHECKS_CONTAINER);
  const summary = parseSummary(terminated?.message);
  const log = splitLog(c.log ?? "");
  const deadline = a.outcome === "deadline";
  const deadlineText = `the Job's deadline (activeDeadlineSeconds ${c.deadlineSeconds}) passed`;
  if (summary === undefined && !deadline) {
    const how = a.outcome === "complete" ? "completed" : `failed (${text(a.reason, a.message)})`;
    const exit = terminated
      ? `; the runner exited ${terminated.exitCode ?? "?"} (${terminated.reason ?? "no reason"})`
      : "";
    return [
      jobEntry(`the Job ${how} without a result summary${exit}`, c.log ?? ""),
      ...c.checks.map((check) => ({
        ...base(check),
        exitCode: null,
        durationMs: 0,
        skipped: "no result from the Job",
      })),
    ];
  }
  const reported = new Map((summary?.checks ?? []).map((s) => [s.name, s]));
  let stopped = false;
  const results = c.checks.map((check, i): CheckInput => {
    const s = reported.get(check.name);
    const output = log.checks.get(i) || s?.error || "";
    if (s) {
      return {
        ...base(check),
        exitCode: s.timedOut ? null : s.exitCode,
        durationMs: s.seconds * 1000,
        ...(s.timedOut
          ? {
              timedOut: true,
              error: deadline
                ? `stopped: ${deadlineText}`
                : `stopped after its timeout of ${formatDuration(check.timeout)}`,
            }
          : {}),
        output,
      };
    }
    if (deadline && !stopped) {
      stopped = true;
      return {
        ...base(check),
        exitCode: null,
        durationMs: 0,
        timedOut: true,
        error: `stopped: ${deadlineText}`,
        output,
      };
    }
    if (deadline)
      return { ...base(check), exitCode: null, durationMs: 0, skipped: `not reached: ${deadlineText}` };
    return {
      ...base(check),
      exitCode: null,
      durationMs: 0,
      error: "the Job's runner did not report this check",
      output,
    };
  });
  if (summary?.error !== undefined)
    results.unshift(jobEntry(`the runner could not start: ${summary.error}`, log.other));
  const allPassed = results.every((r) => r.exitCode === 0 && !r.timedOut && r.error === undefined);
  if (allPassed && terminated && terminated.exitCode !== 0) {
    results.unshift(
      jobEntry(
        `the runner exited ${terminated.exitCode ?? "?"} (${terminated.reason ?? "no reason"}) after every check passed`,
        log.other,
      ),
    );
  }
  if (allPassed && a.outcome !== "complete") {
    results.unshift(
      jobEntry(`the Job failed (${text(a.reason, a.message)}) although every check passed`, log.other),
    );
  }
  return results;
}
