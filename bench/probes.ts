/**
 * `npm run bench:probes`: the http operation's transports on a cluster with a real node. Requests per
 * second through the chosen transport (the API server's service proxy) at concurrency 1, 4 and 16;
 * the latency of a request through it and through the client pod (exec + nc), against the same
 * request made directly from a pod on the same Service (a loop of nc in the pod, timed there).
 * Starts (or reuses) the local cluster `kubeproof-bench-probes` with one real node, or uses
 * BENCH_CLUSTER=<name> (a running local cluster with a real node).
 * Last line: `rps1=<n> rps4=<n> rps16=<n> overheadMs=<n>` (medians of BENCH_ROUNDS rounds).
 *   BENCH_REQUESTS=200 per round and concurrency, BENCH_ROUNDS=3
 */
import { startLocalCluster } from "../src/cluster/local-cluster.ts";
import { KubeClient } from "../src/kube/client.ts";
import { execInPod } from "../src/kube/exec.ts";
import { loadKubeconfig } from "../src/kube/kubeconfig.ts";
import { Resources } from "../src/kube/resources.ts";
import { poll } from "../src/ops/hold.ts";
import { runBatch } from "../src/ops/http/batch.ts";
import { sendOnce, type PreparedRequest } from "../src/ops/incluster/send.ts";
import type { OperationContext } from "../src/ops/types.ts";
import { Bindings } from "../src/template/bindings.ts";

const requests = Number(process.env.BENCH_REQUESTS ?? 200);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

async function setUp(client: KubeClient, namespace: string): Promise<void> {
  const resources = new Resources(client);
  await resources.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
  await resources.create({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace, labels: { app: "web" } },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        {
          name: "web",
          image: "kubeproof.local/agnhost:2.63.0",
          args: ["netexec", "--http-port=8080"],
          readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 1 },
        },
      ],
    },
  });
  await resources.create({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace },
    spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
  });
}

function context(client: KubeClient, kubeconfig: string, namespace: string): OperationContext {
  return {
    resources: new Resources(client),
    client,
    kubeconfig,
    namespace,
    bindings: Bindings.empty(),
    signal: new AbortController().signal,
    timeoutMs: 600_000,
    labels: { "kubeproof.dev/bench": "probes" },
    baseDir: process.cwd(),
    onCreated: () => {},
    onLeftover: () => {},
    propagation: "Background",
  };
}

function request(namespace: string, transport: "proxy" | "pod"): PreparedRequest {
  return {
    target: { kind: "service", namespace, name: "web", port: "80" },
    method: "GET",
    path: "/hostname",
    scheme: "http",
    headers: {},
    secretHeaders: [],
    timeoutMs: 30_000,
    transport,
  };
}

/** Requests per second of one batch at `concurrency`. */
async function rps(ctx: OperationContext, req: PreparedRequest, concurrency: number): Promise<number> {
  const start = performance.now();
  const responses = await runBatch(req, { repeat: requests, concurrency, done: () => true }, ctx);
  const failed = responses.filter((r) => r.status !== 200).length;
  if (failed > 0)
    throw new Error(
      `${failed} of ${requests} requests failed: ${responses.find((r) => r.status !== 200)?.error ?? ""}`,
    );
  return requests / ((performance.now() - start) / 1000);
}

async function latency(ctx: OperationContext, req: PreparedRequest, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await sendOnce(req, ctx)).durationMs);
  return median(times);
}

/** The same request from inside a pod: n nc requests in a loop, timed in the pod (/proc/uptime). */
async function direct(kubeconfig: string, namespace: string, n: number): Promise<number> {
  const script = `s=$(cut -d' ' -f1 /proc/uptime); i=0; while [ $i -lt ${n} ]; do printf 'GET /hostname HTTP/1.1\\r\\nHost: web\\r\\nConnection: close\\r\\n\\r\\n' | nc web.${namespace}.svc 80 >/dev/null; i=$((i+1)); done; e=$(cut -d' ' -f1 /proc/uptime); echo "$s $e"`;
  const result = await execInPod({
    kubeconfig,
    namespace,
    pod: "kubeproof-probe-client",
    container: "client",
    command: ["sh", "-c", script],
    timeoutMs: 600_000,
  });
  const [s, e] = result.stdout.trim().split(" ").map(Number);
  return (((e ?? 0) - (s ?? 0)) * 1000) / n;
}

async function main(): Promise<void> {
  const cluster = await startLocalCluster({
    name: process.env.BENCH_CLUSTER ?? "kubeproof-bench-probes",
    nodes: { kwok: 1, real: 1 },
    reuse: true,
  });
  const client = new KubeClient(await loadKubeconfig({ path: cluster.kubeconfig }));
  const namespace = `bench-probes-${Date.now()}`;
  try {
    await setUp(client, namespace);
    const ctx = context(client, cluster.kubeconfig, namespace);
    const proxy = request(namespace, "proxy");
    await poll(ctx.signal, 250, async () => (await sendOnce(proxy, ctx)).status === 200);
    // The pod transport's first request creates the client pod the direct loop runs in.
    await sendOnce(request(namespace, "pod"), ctx);
    const figures: Record<string, number[]> = {
      rps1: [],
      rps4: [],
      rps16: [],
      proxyMs: [],
      podMs: [],
      directMs: [],
    };
    for (let round = 0; round < rounds; round++) {
      figures.rps1.push(await rps(ctx, proxy, 1));
      figures.rps4.push(await rps(ctx, proxy, 4));
      figures.rps16.push(await rps(ctx, proxy, 16));
      figures.proxyMs.push(await latency(ctx, proxy, 50));
      figures.podMs.push(await latency(ctx, request(namespace, "pod"), 20));
      figures.directMs.push(await direct(cluster.kubeconfig, namespace, 50));
    }
    const m = (key: string): number => round2(median(figures[key] ?? []));
    const overhead = round2(m("proxyMs") - m("directMs"));
    process.stdout.write(
      `proxy latency ${m("proxyMs")}ms, client pod (exec + nc) ${m("podMs")}ms, direct from a pod ${m("directMs")}ms (medians of ${rounds} rounds)\n`,
    );
    process.stdout.write(
      `rps1=${Math.round(m("rps1"))} rps4=${Math.round(m("rps4"))} rps16=${Math.round(m("rps16"))} overheadMs=${overhead}\n`,
    );
  } finally {
    await client.request("DELETE", `/api/v1/namespaces/${namespace}`).catch(() => {});
    client.close();
    if (!cluster.reused) await cluster.stop();
  }
}

await main();
