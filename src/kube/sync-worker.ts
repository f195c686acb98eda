import { workerData } from "node:worker_threads";
import { ApiError, KubeClient } from "./client.ts";
import { UnknownKindError } from "./discovery.ts";
import { Resources } from "./resources.ts";
import type { SyncReply, SyncRequest, SyncWorkerData } from "./sync-client.ts";
import { errorMessage } from "../source/errors.ts";

/** The worker side of SyncKube: answers one request at a time, then raises the shared flag. */
const { target, port, flag } = workerData as SyncWorkerData;
const client = new KubeClient(target);
const resources = new Resources(client);
const signal = new Int32Array(flag);

port.on("message", (request: SyncRequest) => {
  void answer(request).then((reply) => {
    port.postMessage(reply);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
});

async function answer(request: SyncRequest): Promise<SyncReply> {
  try {
    return { ok: true, value: await run(request) };
  } catch (error) {
    if (error instanceof ApiError)
      return { ok: false, status: error.status, reason: error.reason, message: error.message };
    return { ok: false, message: errorMessage(error) };
  }
}

async function run(request: SyncRequest): Promise<unknown> {
  switch (request.op) {
    case "version":
      return client.request("GET", "/version");
    case "resourceExists":
      try {
        await resources.info(request.apiVersion, request.kind);
        return true;
      } catch (error) {
        if (error instanceof UnknownKindError) return false;
        throw error;
      }
    case "get":
    case "exists": {
      const info = await resources.info(request.apiVersion, request.kind);
      const query = {
        apiVersion: request.apiVersion,
        kind: request.kind,
        namespace: info.namespaced ? request.namespace : undefined,
        name: request.name,
      };
      const found = await resources.get(query);
      if (request.op === "exists") return found !== undefined;
      if (!found) {
        const what = `${info.resource}${info.group ? `.${info.group}` : ""}`;
        throw new ApiError(404, "NotFound", `${what} "${request.name}" not found`);
      }
      return found;
    }
    case "list": {
      const info = await resources.info(request.apiVersion, request.kind);
      const namespace = info.namespaced && request.namespace !== "" ? request.namespace : undefined;
      const list = await resources.list({ apiVersion: request.apiVersion, kind: request.kind, namespace });
      return {
        apiVersion: request.apiVersion,
        kind: `${request.kind}List`,
        metadata: { resourceVersion: list.resourceVersion },
        items: list.items,
      };
    }
  }
}
