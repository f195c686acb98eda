import { observe } from "./observe.ts";
import { describeObject, type KubeObject, type ObjectQuery, type Resources } from "./resources.ts";

export interface DeletionWaitOptions {
  /**
   * Whether an object that still exists holds the wait. Default: any object does (wait until gone).
   * Cleanup passes "has finalizers", because a pod in its grace period goes away on its own.
   */
  holds?: (object: KubeObject) => boolean;
}

/**
 * Waits, watch-driven, until every target (as `Resources.delete` answered it) is deleted, or until
 * `signal` aborts (a timeout, an interrupt). Resolves to the objects still holding the wait when it ended: empty when all went. An
 * object recreated under the same name (another uid) counts as deleted. The one wait for deletion:
 * the delete operation, the cleanup of what a step created, and test namespaces all use it.
 */
export async function waitForDeletion(
  resources: Resources,
  targets: readonly KubeObject[],
  signal: AbortSignal,
  options: DeletionWaitOptions = {},
): Promise<KubeObject[]> {
  const holds = options.holds ?? (() => true);
  // Targets are as the delete call answered: one that does not hold the wait then never will (no
  // finalizer can be added to an object being deleted), so it costs no request.
  const remaining = await Promise.all(
    groupByCollection(targets.filter(holds)).map(async (group) => {
      let left: KubeObject[] = group.targets;
      const done = await observe(resources, group.query, signal, (objects) => {
        left = objects.filter((object) => isTarget(object, group.targets) && holds(object));
        return left.length === 0;
      });
      return done ? [] : left;
    }),
  );
  return remaining.flat();
}

/**
 * For `holds`: only finalizers can keep an object for good; a pod in its grace period, or that its
 * kubelet is still tearing down, goes away on its own.
 */
export function hasFinalizers(object: KubeObject): boolean {
  return (object.metadata.finalizers?.length ?? 0) > 0;
}

/** `Kind namespace/name (finalizers: a, b)`: what a deletion that did not finish waits for. */
export function describeHeld(object: KubeObject): string {
  const finalizers = object.metadata.finalizers ?? [];
  return `${describeObject(object)}${finalizers.length > 0 ? ` (finalizers: ${finalizers.join(", ")})` : ""}`;
}

/** One list-and-watch per kind and namespace; by name when it is the only target there. */
function groupByCollection(targets: readonly KubeObject[]): { query: ObjectQuery; targets: KubeObject[] }[] {
  const groups = new Map<string, { query: ObjectQuery; targets: KubeObject[] }>();
  for (const target of targets) {
    const { apiVersion, kind } = target;
    const namespace = target.metadata.namespace;
    const key = `${apiVersion}/${kind}/${namespace ?? ""}`;
    const group = groups.get(key) ?? { query: { apiVersion, kind, namespace }, targets: [] };
    group.targets.push(target);
    groups.set(key, group);
  }
  for (const group of groups.values())
    if (group.targets.length === 1) group.query.name = group.targets[0]?.metadata.name;
  return [...groups.values()];
}

function isTarget(object: KubeObject, targets: readonly KubeObject[]): boolean {
  return targets.some(
    (target) =>
      target.metadata.name === object.metadata.name &&
      (target.metadata.uid === undefined || target.metadata.uid === object.metadata.uid),
  );
}
