/**
 * True when a Kubernetes object reports condition `type` with status True: a Pod or Node Ready, a
 * CustomResourceDefinition Established. The one reading of `status.conditions` for such checks.
 */
export function hasTrueCondition(object: unknown, type: string): boolean {
  const conditions = (object as { status?: { conditions?: unknown } } | null | undefined)?.status?.conditions;
  if (!Array.isArray(conditions)) return false;
  return conditions.some(
    (c) =>
      typeof c === "object" &&
      c !== null &&
      (c as { type?: unknown }).type === type &&
      (c as { status?: unknown }).status === "True",
  );
}

/**
 * Ready=True: the one test of readiness for in-cluster probes' pods, the local cluster's nodes and
 * the nodes a report lists.
 */
export function isReady(object: unknown): boolean {
  return hasTrueCondition(object, "Ready");
}
