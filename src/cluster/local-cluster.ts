import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseAllDocuments } from "yaml";
import { ApiError, KubeClient } from "../kube/client.ts";
import { loadKubeconfig } from "../kube/kubeconfig.ts";
import type { ClusterLayout } from "./components.ts";
import {
  apiserverArgs,
  componentKubeconfig,
  controllerManagerArgs,
  etcdArgs,
  kwokArgs,
  pkiPath,
  schedulerArgs,
} from "./components.ts";
import type { BinaryPaths, InstallListener, InstallOptions } from "./install/index.ts";
import { installBinaries } from "./install/index.ts";
import { kubeconfigYaml } from "./kubeconfig-file.ts";
import { readKwokCrds, writeKwokConfig } from "./kwok-config.ts";
import { acquireLock } from "./lock.ts";
import { isNodeReady, nodeManifest } from "./nodes.ts";
import { clusterDir, clustersDir, kubeproofHome } from "./paths.ts";
import { generatePki, type ClusterPki } from "./pki.ts";
import { freePorts } from "./ports.ts";
import { spawnComponent, stopProcesses, type SpawnedProcess } from "./processes.ts";
import type { ClusterState, ClusterTimings } from "./state.ts";
import { clusterStatus, readState, writeState } from "./state.ts";
import { versions } from "./versions.ts";

export type ClusterPhase = "install" | "start" | "api-ready" | "nodes-ready" | "ready";

export type ClusterEvent =
  | Parameters<InstallListener>[0]
  | { type: "cluster-phase"; name: string; phase: ClusterPhase; elapsedMs: number }
  | { type: "cluster-reused"; name: string };

export interface LocalClusterOptions {
  /** Cluster name, also its state directory under `$KUBEPROOF_HOME/clusters` (default `kubeproof`). */
  name?: string;
  /** Number of simulated nodes (default 1). */
  nodes?: number;
  /** `nvidia.com/gpu` capacity of each node (default 0). */
  gpusPerNode?: number;
  /** Use a cluster of this name that is already running instead of failing (default false). */
  reuse?: boolean;
  home?: string;
  install?: Omit<InstallOptions, "home" | "onEvent" | "signal">;
  onEvent?: (event: ClusterEvent) => void;
  signal?: AbortSignal;
  /** How long to wait for the cluster to become usable (default 120 s). */
  timeoutMs?: number;
}

/** A running local cluster. `stop()` ends every process and removes its state. */
export interface LocalCluster {
  name: string;
  kubeconfig: string;
  server: string;
  dir: string;
  timings: ClusterTimings;
  stop(): Promise<void>;
}

export class ClusterStartError extends Error {
  override name = "ClusterStartError";
}

const namePattern = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok as local processes with
 * a fresh PKI and free ports, creates the simulated nodes, and resolves once the cluster is usable:
 * API ready, nodes Ready, the `default` service account present and kwok's CRDs established.
 * A failed start stops whatever it started.
 */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const name = options.name ?? "kubeproof";
  if (!namePattern.test(name)) {
    throw new ClusterStartError(`invalid cluster name "${name}": use 1-40 lowercase letters, digits and "-"`);
  }
  const nodes = options.nodes ?? 1;
  const gpusPerNode = options.gpusPerNode ?? 0;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 100)
    throw new ClusterStartError(`--nodes must be 1-100, got ${nodes}`);
  if (!Number.isInteger(gpusPerNode) || gpusPerNode < 0)
    throw new ClusterStartError(`--gpus-per-node must be >= 0, got ${gpusPerNode}`);
  const home = options.home ?? kubeproofHome();
  const emit = options.onEvent ?? (() => {});

  emit({ type: "cluster-phase", name, phase: "install", elapsedMs: 0 });
  const binaries = await installBinaries({ ...options.install, home, onEvent: emit, signal: options.signal });

  await mkdir(clustersDir(home), { recursive: true });
  const lock = await acquireLock(join(clustersDir(home), `.${name}.lock`), { signal: options.signal });
  try {
    const existing = await readState(name, home);
    if (existing) {
      const status = await clusterStatus(existing);
      if (status.health === "running") {
        if (!options.reuse) {
          throw new ClusterStartError(
            `cluster "${name}" is already running (kubeconfig ${existing.kubeconfig}); ` +
              `use it, or stop it first with \`kubeproof cluster down --name ${name}\``,
          );
        }
        emit({ type: "cluster-reused", name });
        return handleFor(existing, home);
      }
      // Remains of a crashed run: stop what is left, then start afresh.
      await stopProcesses(existing.processes, existing.dir);
    }
    return await launch(name, nodes, gpusPerNode, binaries, home, options, emit);
  } finally {
    await lock.release();
  }
}

async function launch(
  name: string,
  nodes: number,
  gpusPerNode: number,
  binaries: BinaryPaths,
  home: string,
  options: LocalClusterOptions,
  emit: (event: ClusterEvent) => void,
): Promise<LocalCluster> {
  const dir = clusterDir(name, home);
  await rm(dir, { recursive: true, force: true });
  for (const sub of ["logs", "pki", "kubeconfigs", "kwok", "etcd"])
    await mkdir(join(dir, sub), { recursive: true });
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = await freePorts(6);
  const layout: ClusterLayout = {
    dir,
    ports: {
      etcdClient: etcdClient,
      etcdPeer: etcdPeer,
      apiserver: apiserver,
      controllerManager: controllerManager,
      scheduler: scheduler,
      kwok: kwok,
    },
  };
  const server = `https://127.0.0.1:${layout.ports.apiserver}`;
  const pki = await generatePki();
  await writePki(layout, pki);
  const kubeconfig = join(dir, "kubeconfig");
  await writeFile(
    kubeconfig,
    kubeconfigYaml({ name, server, caCert: pki.ca.cert, client: pki.clients["kubeproof-admin"] }),
    { mode: 0o600 },
  );
  for (const component of ["kube-controller-manager", "kube-scheduler", "kwok"]) {
    await writeFile(
      componentKubeconfig(layout, component),
      kubeconfigYaml({ name, server, caCert: pki.ca.cert, client: pki.clients[component] }),
      { mode: 0o600 },
    );
  }
  await writeKwokConfig(join(dir, "kwok"));

  const started = Date.now();
  const elapsed = (): number => Date.now() - started;
  emit({ type: "cluster-phase", name, phase: "start", elapsedMs: 0 });
  const processes: SpawnedProcess[] = [];
  const state: ClusterState = {
    name,
    dir,
    kubeconfig,
    server,
    createdAt: new Date().toISOString(),
    nodes,
    gpusPerNode,
    ports: { ...layout.ports },
    processes,
    versions,
    timings: { apiReadyMs: 0, nodesReadyMs: 0 },
  };
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort(options.signal?.reason);
  let startTimer: NodeJS.Timeout | undefined;
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  try {
    const spawnOne = (component: string, args: string[]): void => {
      const process = spawnComponent(component, binaries[component], args, dir);
      processes.push(process);
      // Record pids as they start, so `down` can stop a start that this process never finished.
      void writeState(state).catch(() => {});
      void process.exited.then((why) => abort.abort(new ClusterStartError(`${why}; see ${process.logFile}`)));
    };
    spawnOne("etcd", etcdArgs(layout));
    spawnOne("kube-apiserver", apiserverArgs(layout));
    spawnOne("kube-controller-manager", controllerManagerArgs(layout));
    spawnOne("kube-scheduler", schedulerArgs(layout));

    // The start's own controller takes the timeout too: AbortSignal.any() holds its sources weakly on
    // Node 20, and an otherwise unreferenced AbortSignal.timeout() can be collected before it fires.
    startTimer = setTimeout(
      () => abort.abort(new DOMException(`timed out after ${timeoutMs} ms`, "TimeoutError")),
      timeoutMs,
    );
    const deadline = abort.signal;
    await waitFor("the API server to answer /readyz", deadline, async () => {
      const text = await client.requestText("GET", "/readyz", { timeoutMs: 2000 }).catch(() => "");
      return text.trim() === "ok";
    });
    state.timings.apiReadyMs = elapsed();
    emit({ type: "cluster-phase", name, phase: "api-ready", elapsedMs: state.timings.apiReadyMs });

    // kwok watches its CRDs from the start, so they go in before kwok does; nodes can go in meanwhile.
    await Promise.all([
      installKwokCrds(client, deadline),
      ...Array.from({ length: nodes }, (_, i) =>
        client.request("POST", "/api/v1/nodes", { body: nodeManifest(i, { gpusPerNode }) }),
      ),
    ]);
    spawnOne("kwok", kwokArgs(layout));
    await Promise.all([
      waitFor(`${nodes} node(s) to be Ready`, deadline, async () => {
        const list = await client.request<{ items: unknown[] }>("GET", "/api/v1/nodes");
        return list.items.filter(isNodeReady).length >= nodes;
      }),
      waitFor("the default service account (kube-controller-manager)", deadline, () =>
        client
          .request("GET", "/api/v1/namespaces/default/serviceaccounts/default")
          .then(() => true)
          .catch(() => false),
      ),
    ]);
    state.timings.nodesReadyMs = elapsed();
    emit({ type: "cluster-phase", name, phase: "nodes-ready", elapsedMs: state.timings.nodesReadyMs });
    await writeState(state);
    emit({ type: "cluster-phase", name, phase: "ready", elapsedMs: elapsed() });
    return handleFor(state, home);
  } catch (error) {
    await stopProcesses(processes, dir);
    await rm(join(dir, "cluster.json"), { force: true });
    // A component that died explains more than "timed out waiting for ...", which explains more than
    // the timer itself.
    const died = abort.signal.reason instanceof Error && abort.signal.reason.name !== "TimeoutError";
    const reason: unknown = died ? abort.signal.reason : error;
    if (options.signal?.aborted) throw options.signal.reason;
    throw new ClusterStartError(
      `local cluster "${name}" failed to start: ${reason instanceof Error ? reason.message : String(reason)}\n` +
        `component logs: ${join(dir, "logs")}`,
      { cause: reason },
    );
  } finally {
    clearTimeout(startTimer);
    options.signal?.removeEventListener("abort", onOuterAbort);
    client.close();
  }
}

async function writePki(layout: ClusterLayout, pki: ClusterPki): Promise<void> {
  const files: Record<string, string> = {
    "ca.crt": pki.ca.cert,
    "ca.key": pki.ca.key,
    "apiserver.crt": pki.apiserver.cert,
    "apiserver.key": pki.apiserver.key,
    "kwok-serving.crt": pki.kubelet.cert,
    "kwok-serving.key": pki.kubelet.key,
    "sa.pub": pki.serviceAccount.publicKey,
    "sa.key": pki.serviceAccount.privateKey,
  };
  for (const [identity, pair] of Object.entries(pki.clients)) {
    files[`${identity}.crt`] = pair.cert;
    files[`${identity}.key`] = pair.key;
  }
  await Promise.all(
    Object.entries(files).map(([file, content]) =>
      writeFile(pkiPath(layout, file), content, { mode: 0o600 }),
    ),
  );
}

async function installKwokCrds(client: KubeClient, signal: AbortSignal): Promise<void> {
  const crds = (await readKwokCrds()).flatMap((text) =>
    parseAllDocuments(text).map((doc) => doc.toJS() as { metadata: { name: string } }),
  );
  await Promise.all(
    crds.map((crd) =>
      client.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: crd }),
    ),
  );
  await waitFor("kwok's CRDs to be Established", signal, async () => {
    const list = await client.request<{
      items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
    }>("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    const established = new Set(
      list.items
        .filter((c) => c.status?.conditions?.some((k) => k.type === "Established" && k.status === "True"))
        .map((c) => c.metadata.name),
    );
    return crds.every((crd) => established.has(crd.metadata.name));
  });
}

/** Polls `check` every 50 ms until it holds; rejects with what it waited for when `signal` aborts. */
async function waitFor(what: string, signal: AbortSignal, check: () => Promise<boolean>): Promise<void> {
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

function handleFor(state: ClusterState, home: string): LocalCluster {
  return {
    name: state.name,
    kubeconfig: state.kubeconfig,
    server: state.server,
    dir: state.dir,
    timings: state.timings,
    stop: async () => {
      await stopLocalCluster(state.name, { home });
    },
  };
}

/**
 * Stops every process of the named cluster (found through its state, including a crashed run's) and
 * removes its state directory. Resolves false when there was nothing to stop.
 */
export async function stopLocalCluster(name: string, options: { home?: string } = {}): Promise<boolean> {
  const home = options.home ?? kubeproofHome();
  const dir = clusterDir(name, home);
  const state = await readState(name, home);
  if (state) await stopProcesses(state.processes, state.dir);
  const existed =
    state !== undefined ||
    (await rm(dir, { recursive: true }).then(
      () => true,
      () => false,
    ));
  await rm(dir, { recursive: true, force: true });
  return existed;
}
