import { observe } from "../../kube/observe.ts";
import type { KubeObject } from "../../kube/resources.ts";
import type { AssertPodPhaseOperation } from "../../model/index.ts";
import { formatDuration } from "../../source/duration.ts";
import { selectPods } from "../pods.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";

/** What the pods say now: the phase is reached, not yet, or cannot be reached any more. */
export type PhaseVerdict =
  { state: "reached" } | { state: "pending"; reason: string } | { state: "failed"; reason: string };

/**
 * Watch-driven: every selected pod (at least one) reaches `phase`. A pod that turns `Failed` when
 * another phase is expected fails the operation at once, with its status, instead of waiting out the
 * timeout: a failed pod with restartPolicy Never never leaves that phase.
 */
export async function runAssertPodPhase(
  operation: AssertPodPhaseOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const { query, filter, subject } = selectPods(operation, context);
  let verdict: PhaseVerdict = { state: "pending", reason: "no pod found" };
  let pods: KubeObject[] = [];
  let evaluations = 0;
  await observe(context.resources, query, context.signal, (objects) => {
    evaluations += 1;
    pods = filter(objects);
    verdict = judgePhase(pods, operation.phase, operation.missing);
    return verdict.state !== "pending";
  });
  const done = verdict as PhaseVerdict;
  if (done.state === "reached") return { status: "passed", evaluations, involved: pods };
  const message =
    done.state === "failed"
      ? `${subject}: ${done.reason}`
      : `${subject} did not reach phase ${operation.phase} within ${formatDuration(context.timeoutMs)}: ${done.reason}`;
  return {
    status: "failed",
    evaluations,
    involved: pods,
    error: { message, location: operation.location, subject },
  };
}

/** The verdict over the pods selected now (pure, so the rule is tested without a cluster). */
export function judgePhase(
  pods: readonly KubeObject[],
  phase: AssertPodPhaseOperation["phase"],
  missing: AssertPodPhaseOperation["missing"],
): PhaseVerdict {
  if (pods.length === 0)
    return missing === "fail"
      ? { state: "failed", reason: "not found" }
      : { state: "pending", reason: "no pod found" };
  const pending: string[] = [];
  for (const pod of pods) {
    const status = (pod.status ?? {}) as { phase?: string; reason?: string; message?: string };
    const actual = status.phase ?? "(no phase yet)";
    if (actual === "Failed" && phase !== "Failed") {
      const why = [status.reason, status.message, terminated(pod)].filter(Boolean).join(": ");
      return { state: "failed", reason: `phase Failed${why ? ` (${why})` : ""}, expected ${phase}` };
    }
    if (actual !== phase) pending.push(`${pod.metadata.name ?? "?"} is ${actual}`);
  }
  return pending.length === 0 ? { state: "reached" } : { state: "pending", reason: pending.join(", ") };
}

/** `container x exited with 1 (Error)` for the first container that terminated unsuccessfully. */
function terminated(pod: KubeObject): string | undefined {
  type Status = { name: string; state?: { terminated?: { exitCode?: number; reason?: string } } };
  const status = pod.status as { containerStatuses?: Status[]; initContainerStatuses?: Status[] } | undefined;
  const all = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  const bad = all.find((c) => (c.state?.terminated?.exitCode ?? 0) !== 0);
  const end = bad?.state?.terminated;
  return bad && end
    ? `container ${bad.name} exited with ${end.exitCode}${end.reason ? ` (${end.reason})` : ""}`
    : undefined;
}
