import type { Config } from "../config/config-schema.ts";
import type { Operation, Step, Test, Timeouts } from "../model/index.ts";

type TimeoutKind = keyof Timeouts;

/** Which configured timeout governs an operation type (Chainsaw's grouping). */
export function timeoutKind(operation: Operation): TimeoutKind | undefined {
  switch (operation.type) {
    case "apply":
    case "create":
    case "update":
    case "patch":
      return "apply";
    case "assert":
    case "wait":
      return "assert";
    case "error":
      return "error";
    case "delete":
      return "delete";
    case "script":
    case "command":
    case "get":
    case "describe":
    case "events":
    case "podLogs":
      return "exec";
    case "sleep":
      return undefined;
  }
}

/** The operation's own timeout, else its step's, its test's, then the configuration's; scaled. */
export function operationTimeout(
  operation: Operation,
  step: Step,
  test: Test,
  config: Config,
  multiplier: number,
): number {
  if (operation.type === "sleep") return operation.durationMs + 60_000;
  const kind = timeoutKind(operation)!;
  const base = operation.timeoutMs ?? step.timeouts[kind] ?? test.timeouts[kind] ?? config.timeouts[kind];
  return Math.round(base * multiplier);
}

export function cleanupTimeout(
  step: Step | undefined,
  test: Test,
  config: Config,
  multiplier: number,
): number {
  return Math.round(
    (step?.timeouts.cleanup ?? test.timeouts.cleanup ?? config.timeouts.cleanup) * multiplier,
  );
}

/**
 * A signal that aborts after `timeoutMs`, or with `parent`. Not `AbortSignal.any([parent,
 * AbortSignal.timeout(ms)])`: on Node 20 `any` holds its sources weakly, so a timeout signal nothing
 * else references is garbage-collected before it fires and the operation never times out (seen with
 * 60 s assertions). Call `dispose` when the operation ends so neither the timer nor the listener leaks.
 */
export function deadline(timeoutMs: number, parent?: AbortSignal): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
    timeoutMs,
  );
  const onParentAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener("abort", onParentAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener("abort", onParentAbort);
    },
  };
}
