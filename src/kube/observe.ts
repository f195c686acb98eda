import { ApiError } from "./client.ts";
import { UnknownKindError } from "./discovery.ts";
import type { KubeObject, ObjectQuery, Resources } from "./resources.ts";

export interface ObserveOptions {
  /** Re-list this often even while the watch is healthy: a safety net, not the mechanism. */
  safetyPollMs?: number;
  /** Poll interval while the kind is not served yet (a CRD being established). */
  unknownKindPollMs?: number;
}

/**
 * Keeps the objects matching `query` up to date and calls `evaluate` after every change, until it
 * returns true or `signal` aborts: list once, then watch from that list's resourceVersion, so an
 * assertion is re-evaluated within milliseconds of the write that satisfies it. The watch restarts on
 * expiry (410) and every `safetyPollMs`. A kind the cluster does not serve yet counts as no objects.
 * Resolves true when `evaluate` said stop, false when aborted.
 */
export async function observe(
  resources: Resources,
  query: ObjectQuery,
  signal: AbortSignal,
  evaluate: (objects: KubeObject[]) => boolean,
  options: ObserveOptions = {},
): Promise<boolean> {
  const safetyPollMs = options.safetyPollMs ?? 2000;
  while (!signal.aborted) {
    let listed;
    try {
      listed = await resources.list(query);
    } catch (error) {
      if (!(error instanceof UnknownKindError) && !(error instanceof ApiError && error.status === 404))
        throw error;
      if (evaluate([])) return true;
      await pause(options.unknownKindPollMs ?? 250, signal);
      continue;
    }
    const objects = new Map<string, KubeObject>();
    for (const item of listed.items) objects.set(key(item), item);
    if (evaluate([...objects.values()])) return true;

    const round = new AbortController();
    const stopRound = (): void => round.abort();
    signal.addEventListener("abort", stopRound, { once: true });
    // Aborted while listing: the listener above will not fire, and the round would last safetyPollMs.
    if (signal.aborted) round.abort();
    const timer = setTimeout(stopRound, safetyPollMs);
    let satisfied = false;
    try {
      await resources.watch(
        query,
        listed.resourceVersion,
        (type, object) => {
          if (type === "DELETED") objects.delete(key(object));
          else objects.set(key(object), object);
          if (!satisfied && evaluate([...objects.values()])) {
            satisfied = true;
            round.abort();
          }
        },
        round.signal,
      );
    } catch (error) {
      // An expired resourceVersion or a dropped stream: re-list. Anything else is real.
      if (!(error instanceof ApiError) && !round.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", stopRound);
    }
    if (satisfied) return true;
  }
  return false;
}

function key(object: KubeObject): string {
  return object.metadata.uid ?? `${object.metadata.namespace ?? ""}/${object.metadata.name ?? ""}`;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
