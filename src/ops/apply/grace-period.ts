import type { KubeObject } from "../../kube/resources.ts";

/**
 * Chainsaw's `forceTerminationGracePeriod` (test, else configuration): objects that apply and create
 * write get this termination grace period on their pods, so that deleting them at the end of a test
 * does not wait the default 30 s per pod. Chainsaw sets it by kind only, whole seconds, and not at all
 * when it rounds down to zero.
 */
const POD_SPEC_PATH: Record<string, readonly string[]> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

export function forceGracePeriod(object: KubeObject, gracePeriodMs: number | undefined): void {
  if (gracePeriodMs === undefined) return;
  const seconds = Math.trunc(gracePeriodMs / 1000);
  const path = POD_SPEC_PATH[object.kind];
  if (seconds === 0 || path === undefined) return;
  let node: Record<string, unknown> = object;
  for (const key of path) {
    const next = node[key];
    if (next === null || typeof next !== "object" || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node.terminationGracePeriodSeconds = seconds;
}
