import { setTimeout as delay } from "node:timers/promises";
import { ApiError, type WatchEventType } from "../../kube/client.ts";
import type { KubeObject, ObjectQuery, Resources } from "../../kube/resources.ts";

/**
 * Follows objects by list-then-watch until `signal` aborts: the server ends every watch after a
 * while and may answer 410 Gone when it has compacted past our resourceVersion; both continue
 * without losing an update. Connection errors are retried a few times before giving up.
 */
export async function follow(
  resources: Resources,
  query: ObjectQuery,
  onObject: (type: WatchEventType, object: KubeObject) => void,
  signal: AbortSignal,
): Promise<void> {
  let resourceVersion: string | undefined;
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (resourceVersion === undefined) {
        const list = await resources.list(query);
        for (const item of list.items) onObject("ADDED", item);
        resourceVersion = list.resourceVersion;
      }
      await resources.watch(
        query,
        resourceVersion,
        (type, object) => {
          resourceVersion = object.metadata.resourceVersion ?? resourceVersion;
          onObject(type, object);
        },
        signal,
      );
      failures = 0;
    } catch (error) {
      if (signal.aborted) return;
      resourceVersion = undefined;
      if (error instanceof ApiError && error.status === 410) continue;
      // Forbidden, not found and the like will not change by asking again.
      if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429)
        throw error;
      failures += 1;
      if (failures > 5) throw error;
      try {
        await delay(500 * failures, undefined, { signal });
      } catch {
        return;
      }
    }
  }
}
