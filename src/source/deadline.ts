import { formatDuration } from "./duration.ts";

export interface Deadline {
  /** Aborts after the timeout (a `TimeoutError` that says `timed out after 30s`), with the parent, or on `abort`. */
  signal: AbortSignal;
  /** Aborts now with `reason` (a failure that makes waiting pointless). */
  abort: (reason: unknown) => void;
  /** Stops the timer and forgets the parent: call it when the work ends, so neither leaks. */
  dispose: () => void;
}

/**
 * A signal that aborts after `timeoutMs`, or with `parent`: the one deadline of operations, set-up
 * commands, cleanup waits and cluster starts. Not `AbortSignal.any([parent, AbortSignal.timeout(ms)])`:
 * on Node 20 `any` holds its sources weakly, so a timeout signal nothing else references is
 * garbage-collected before it fires and the operation never times out (seen with 60 s assertions).
 */
export function deadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`timed out after ${formatDuration(timeoutMs)}`, "TimeoutError")),
    timeoutMs,
  );
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}
