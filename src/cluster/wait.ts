import { setTimeout as sleep } from "node:timers/promises";
import { ApiError } from "../kube/client.ts";
import { ClusterStartError } from "./errors.ts";

/**
 * Polls `check` every 50 ms until it holds. When `signal` aborts it rejects with the abort's reason if
 * that explains more (a component died), else with what it waited for.
 */
export async function waitFor(
  what: string,
  signal: AbortSignal,
  check: () => Promise<boolean>,
): Promise<void> {
  for (;;) {
    if (signal.aborted) {
      const reason: unknown = signal.reason;
      if (reason instanceof Error && reason.name !== "TimeoutError") throw reason;
      throw new ClusterStartError(`timed out waiting for ${what}`);
    }
    let done = false;
    try {
      done = await check();
    } catch (error) {
      // The API answering with an error status means "not yet"; anything else is a real failure.
      if (!(error instanceof ApiError)) throw error;
    }
    if (done) return;
    await sleep(50, undefined, { signal }).catch(() => {});
  }
}
