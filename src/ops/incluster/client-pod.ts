import { isNotFound, ApiError } from "../../kube/client.ts";
import { isReady } from "../../kube/conditions.ts";
import { execInPod, type ExecResult } from "../../kube/exec.ts";
import { poll } from "../hold.ts";
import { OperationError, type OperationContext } from "../types.ts";

/**
 * The client pod of the `pod` transport: one per test (its namespace and labels), created by the
 * first request that needs it, deleted with the test's other objects. Any busybox image serves (it
 * needs `sh` and `nc`); the local cluster's real node has `kubeproof.local/busybox:1` built in, and
 * `KUBEPROOF_PROBE_CLIENT_IMAGE` names another for other clusters.
 */
export const CLIENT_POD = "kubeproof-probe-client";
const CONTAINER = "client";

export function clientImage(): string {
  return process.env.KUBEPROOF_PROBE_CLIENT_IMAGE ?? "kubeproof.local/busybox:1";
}

const clients = new Map<string, Promise<void>>();

/** Same namespace and labels: the same test, which keeps its client pod until it ends. */
function clientKey(context: OperationContext): string {
  return JSON.stringify([context.kubeconfig, context.namespace, context.labels]);
}

export function ensureClientPod(context: OperationContext): Promise<void> {
  const key = clientKey(context);
  let ready = clients.get(key);
  if (!ready) {
    ready = createClientPod(context);
    clients.set(key, ready);
    // A failed creation is tried again by the next request, not remembered.
    ready.catch(() => clients.delete(key));
    context.onCreated({ apiVersion: "v1", kind: "Pod", name: CLIENT_POD, namespace: context.namespace });
  }
  return ready;
}

async function createClientPod(context: OperationContext): Promise<void> {
  const path = `/api/v1/namespaces/${context.namespace}/pods`;
  try {
    await context.client.request("POST", path, {
      body: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: CLIENT_POD, labels: { ...context.labels, "app.kubernetes.io/name": CLIENT_POD } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: CONTAINER,
              image: clientImage(),
              imagePullPolicy: "IfNotPresent",
              // Waits in the background so that SIGTERM ends it at once.
              command: ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 3600 & wait $!; done"],
            },
          ],
        },
      },
      signal: context.signal,
    });
  } catch (error) {
    if (!(error instanceof ApiError && error.reason === "AlreadyExists")) throw error;
  }
  let phase = "Pending";
  const ready = await poll(context.signal, 200, async () => {
    try {
      const pod = await context.client.request<{ status?: { phase?: string } }>(
        "GET",
        `${path}/${CLIENT_POD}`,
        { signal: context.signal },
      );
      phase = pod.status?.phase ?? phase;
      return isReady(pod);
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  });
  if (!ready)
    throw new OperationError(
      `the client pod ${context.namespace}/${CLIENT_POD} (image ${clientImage()}) did not become Ready (phase ${phase})`,
    );
}

/**
 * The script the client pod runs per request: the request (argument 4) piped to `nc`, which prints
 * what the server answers until it closes the connection. The pipe stays open until nc is done: when
 * it closes after the request, nc half-closes the socket, and servers that watch for a client going
 * away (Go's reverse proxy) abandon the request with a 502. nc's exit status is the script's.
 */
const NC_SCRIPT = [
  "d=/tmp/kubeproof-done.$$",
  `{ printf '%s' "$4"; while [ ! -e "$d" ]; do usleep 2000; done; } | { nc -w "$3" "$1" "$2"; echo $? > "$d"; }`,
  'rc=$(cat "$d"); rm -f "$d"; exit "$rc"',
].join("\n");

export async function sendFromClientPod(
  context: OperationContext,
  request: { host: string; port: string; raw: string; timeoutMs: number },
): Promise<ExecResult> {
  await ensureClientPod(context);
  const seconds = Math.max(1, Math.ceil(request.timeoutMs / 1000));
  return execInPod({
    kubeconfig: context.kubeconfig,
    namespace: context.namespace,
    pod: CLIENT_POD,
    container: CONTAINER,
    command: ["sh", "-c", NC_SCRIPT, "probe", request.host, request.port, String(seconds), request.raw],
    // The exec itself gets a margin over nc's own deadline, which is the one that should fire.
    timeoutMs: request.timeoutMs + 10_000,
  });
}
