import { setMaxListeners } from "node:events";
import { pause } from "../../kube/observe.ts";
import type { OperationContext } from "../types.ts";
import { sendOnce, type PreparedRequest, type ProbeResponse } from "../incluster/send.ts";

export interface BatchOptions {
  repeat: number;
  concurrency: number;
  spacingMs?: number;
  retry?: { attempts: number; backoffMs: number };
  /** Whether a response ends its retries (the `until` tree, else the check). */
  done: (response: ProbeResponse) => boolean;
}

/**
 * Sends `repeat` requests, at most `concurrency` in flight, each started no sooner than `spacingMs`
 * after the one before, each retried until `done` (or its attempts run out). The responses come back
 * in request order, each the last attempt's, with the attempts it took.
 */
export async function runBatch(
  request: PreparedRequest,
  options: BatchOptions,
  context: OperationContext,
): Promise<ProbeResponse[]> {
  const responses: ProbeResponse[] = new Array<ProbeResponse>(options.repeat);
  // Each request in flight listens on the operation's signal: more than Node's default of 10 is expected.
  setMaxListeners(Math.max(10, options.concurrency * 2 + 4), context.signal);
  const startedAt = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.repeat && !context.signal.aborted) {
      const index = next++;
      if (options.spacingMs) {
        const wait = startedAt + index * options.spacingMs - performance.now();
        if (wait > 0) await pause(wait, context.signal);
      }
      responses[index] = await withRetries(request, options, context);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.repeat) }, worker));
  // Requests never started (the operation's deadline came first) are reported as such.
  for (let i = 0; i < options.repeat; i++) {
    responses[i] ??= {
      status: null,
      headers: {},
      body: "",
      json: null,
      durationMs: 0,
      error: "not sent: the operation's timeout came first",
      attempts: 0,
      transport: request.transport,
    };
  }
  return responses;
}

async function withRetries(
  request: PreparedRequest,
  options: BatchOptions,
  context: OperationContext,
): Promise<ProbeResponse> {
  const attempts = options.retry?.attempts ?? 1;
  let response = await sendOnce(request, context);
  let attempt = 1;
  while (attempt < attempts && !options.done(response) && !context.signal.aborted) {
    await pause(options.retry?.backoffMs ?? 0, context.signal);
    if (context.signal.aborted) break;
    response = await sendOnce(request, context);
    attempt += 1;
  }
  return { ...response, attempts: attempt };
}
