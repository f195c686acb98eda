import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import { ApiError } from "./client.ts";
import type { ClusterTarget } from "./kubeconfig.ts";
import { formatDuration } from "../source/duration.ts";

/** What Chainsaw's cluster functions (`x_k8s_get`, `x_k8s_list`, ...) ask the cluster. */
export type SyncRequest =
  | { op: "get" | "exists"; apiVersion: string; kind: string; namespace: string; name: string }
  | { op: "list"; apiVersion: string; kind: string; namespace: string }
  | { op: "resourceExists"; apiVersion: string; kind: string }
  | { op: "version" };

export type SyncReply =
  | { ok: true; value: unknown }
  | { ok: false; status?: number; reason?: string; message: string; fatal?: boolean };

/** What the worker receives at start. */
export interface SyncWorkerData {
  target: ClusterTarget;
  port: MessagePort;
  flag: SharedArrayBuffer;
}

/**
 * Synchronous cluster reads, for JMESPath functions: the expression engine is synchronous, so the
 * request runs on a worker thread while this thread blocks on a shared flag until the answer is posted.
 * Meant for the few reads assertions make; each call holds up the event loop for one API round trip.
 */
export class SyncKube {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private broken: string | undefined;

  constructor(
    private readonly target: ClusterTarget,
    private readonly timeoutMs = 30_000,
  ) {}

  call(request: SyncRequest): unknown {
    if (this.broken) throw new Error(this.broken);
    const port = this.start();
    Atomics.store(this.flag, 0, 0);
    port.postMessage(request);
    const waited = Atomics.wait(this.flag, 0, 0, this.timeoutMs);
    const answer = receiveMessageOnPort(port);
    if (!answer) {
      throw new Error(
        waited === "timed-out"
          ? `the API server did not answer within ${formatDuration(this.timeoutMs)}`
          : "the cluster lookup ended without an answer",
      );
    }
    const reply = answer.message as SyncReply;
    if (reply.ok) return reply.value;
    if (reply.fatal) this.broken = reply.message;
    if (reply.status !== undefined) throw new ApiError(reply.status, reply.reason ?? "", reply.message);
    throw new Error(reply.message);
  }

  close(): void {
    this.port?.close();
    void this.worker?.terminate();
    this.worker = undefined;
    this.port = undefined;
  }

  private start(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    const data: SyncWorkerData = {
      target: this.target,
      port: port2,
      flag: this.flag.buffer,
    };
    this.worker = new Worker(workerEntry(), { eval: true, workerData: data, transferList: [port2] });
    // Neither keeps the process alive: the worker only ever answers this thread's calls.
    this.worker.unref();
    port1.unref();
    this.port = port1;
    return port1;
  }
}

/**
 * The worker's code: the module next to this one. Built, that is `sync-worker.js`; run from source, it
 * is `sync-worker.ts`, and Node 20 does not pass `--import tsx` hooks on to a worker's entry module, so
 * the worker registers tsx itself before importing it.
 */
function workerEntry(): string {
  const load = import.meta.url.endsWith(".ts")
    ? `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((api) => { api.register(); return import(${JSON.stringify(new URL("./sync-worker.ts", import.meta.url).href)}); })`
    : `import(${JSON.stringify(new URL("./sync-worker.js", import.meta.url).href)})`;
  // A worker that cannot load answers the first call with the reason instead of leaving it waiting.
  const fail = `(error) => { const { workerData } = require("node:worker_threads"); workerData.port.postMessage({ ok: false, fatal: true, message: "the cluster lookup worker did not start: " + (error && error.message) }); const flag = new Int32Array(workerData.flag); Atomics.store(flag, 0, 1); Atomics.notify(flag, 0); }`;
  return `${load}.catch(${fail});`;
}
