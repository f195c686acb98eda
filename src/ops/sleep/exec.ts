import type { SleepOperation } from "../../model/index.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";

/** Waits the given duration; an interrupt ends it early (the operation then counts as interrupted). */
export async function runSleep(
  operation: SleepOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, operation.durationMs);
    context.signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      context.signal.removeEventListener("abort", done);
      resolve();
    }
  });
  return { status: "passed" };
}
