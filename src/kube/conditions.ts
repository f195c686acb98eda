/**
 * True when a Kubernetes object (a Pod, a Node, ...) reports condition Ready=True: the one test of
 * readiness for in-cluster probes' pods, the local cluster's nodes and the nodes a report lists.
 */
export function isReady(object: unknown): boolean {
  const conditions = (object as { status?: { conditions?: unknown } } | null | undefined)?.status?.conditions;
  if (!Array.isArray(conditions)) return false;
  return conditions.some(
    (c) =>
      typeof c === "object" &&
      c !== null &&
      (c as { type?: unknown }).type === "Ready" &&
      (c as { status?: unknown }).status === "True",
  );
}
