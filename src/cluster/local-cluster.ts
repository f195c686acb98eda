import { access, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { ClusterStartError } from "./errors.ts";
import type { ClusterEvent } from "../model/cluster-events.ts";
import type { InstallOptions } from "./install/index.ts";
import { findBinaries, installBinaries } from "./install/index.ts";
import { launch } from "./launch.ts";
import { acquireLock, removeStaleLock } from "./lock.ts";
import { controlPlaneParts } from "./parts/control-plane.ts";
import type { ClusterPart, ControlPlaneNeeds, NodeProviderType, NodeRequest } from "./parts/part.ts";
import { teardownParts } from "./parts/teardown.ts";
import { clusterDir, clustersDir, kubeproofHome } from "./paths.ts";
import { nodeProviders, nodeProviderTypes } from "./providers/index.ts";
import { loadImageArchives } from "./providers/real/index.ts";
import type { ClusterState, ClusterTimings } from "./state.ts";
import { clusterStatus, readState } from "./state.ts";
import { allComponents } from "./versions.ts";

export { ClusterStartError, RealNodeUnavailable } from "./errors.ts";
export type { ClusterEvent, ClusterPhase } from "../model/cluster-events.ts";

/** Nodes by provider, e.g. `{ kwok: 2 }`. */
export type NodeCounts = Partial<Record<NodeProviderType, number>>;

export interface LocalClusterOptions {
  /** Cluster name, also its state directory under `$KUBEPROOF_HOME/clusters` (default `kubeproof`). */
  name?: string;
  /** Number of simulated (kwok) nodes, or nodes by provider (default 1 kwok node; 1-100 in all). */
  nodes?: number | NodeCounts;
  /** `nvidia.com/gpu` capacity of each node (default 0). */
  gpusPerNode?: number;
  /** Use a cluster of this name that is already running instead of failing (default false). */
  reuse?: boolean;
  home?: string;
  install?: Omit<InstallOptions, "home" | "onEvent" | "signal" | "components">;
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
  /** `reuse` found this cluster running: whoever started it stops it. */
  reused: boolean;
  stop(): Promise<void>;
}

const namePattern = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/**
 * Starts a local cluster: etcd, kube-apiserver, kube-controller-manager and kube-scheduler as local
 * processes with a fresh PKI and free ports, plus the nodes of each node provider (kwok's simulated
 * ones), and resolves once every part is ready: API ready, nodes Ready, the `default` service account
 * present. A failed start stops whatever it started.
 */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const name = options.name ?? "kubeproof";
  if (!namePattern.test(name)) {
    throw new ClusterStartError(`invalid cluster name "${name}": use 1-40 lowercase letters, digits and "-"`);
  }
  const nodes = nodeCounts(options.nodes);
  const gpusPerNode = options.gpusPerNode ?? 0;
  if (!Number.isInteger(gpusPerNode) || gpusPerNode < 0)
    throw new ClusterStartError(`--gpus-per-node must be >= 0, got ${gpusPerNode}`);
  const { parts, needs } = clusterParts({ clusterName: name, nodes, gpusPerNode });
  const home = options.home ?? kubeproofHome();
  const emit = options.onEvent ?? (() => {});

  emit({ type: "cluster-phase", name, phase: "install", elapsedMs: 0 });
  const components = new Set(parts.flatMap((part) => part.components));
  const binaries = await installBinaries({
    ...options.install,
    components: allComponents.filter((component) => components.has(component)),
    home,
    onEvent: emit,
    signal: options.signal,
  });

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
        return handleFor(existing, home, true);
      }
      // Remains of a crashed run: undo what is left, then start afresh.
      await teardownParts(existing.parts, { clusterName: name, dir: existing.dir });
    }
    const state = await launch({
      name,
      dir: clusterDir(name, home),
      parts,
      binaries,
      apiAddress: needs.apiAddress,
      nodes: Object.values(nodes).reduce((sum, n) => sum + n, 0),
      gpusPerNode,
      timeoutMs: options.timeoutMs ?? 120_000,
      signal: options.signal,
      emit,
    });
    return handleFor(state, home, false);
  } finally {
    await lock.release();
  }
}

/** Nodes by provider; a plain number means kwok nodes. */
function nodeCounts(nodes: LocalClusterOptions["nodes"]): Record<NodeProviderType, number> {
  const counts = typeof nodes === "object" ? nodes : { kwok: nodes ?? 1 };
  const result = Object.fromEntries(nodeProviderTypes.map((type) => [type, counts[type] ?? 0])) as Record<
    NodeProviderType,
    number
  >;
  const total = Object.values(result).reduce((sum, n) => sum + n, 0);
  const valid = Object.values(result).every((n) => Number.isInteger(n) && n >= 0);
  if (!valid || total < 1 || total > 100) {
    const shown = typeof nodes === "object" ? JSON.stringify(nodes) : String(nodes);
    throw new ClusterStartError(`--nodes must be 1-100, got ${shown}`);
  }
  return result;
}

/** The control plane as the nodes need it, then the parts of each node provider that has nodes to bring. */
function clusterParts(shape: {
  clusterName: string;
  nodes: Record<NodeProviderType, number>;
  gpusPerNode: number;
}): { parts: ClusterPart[]; needs: ControlPlaneNeeds } {
  const { clusterName, nodes, gpusPerNode } = shape;
  const requests = nodeProviderTypes
    .filter((type) => nodes[type] > 0)
    .map((type): [NodeProviderType, NodeRequest] => [
      type,
      { clusterName, count: nodes[type], gpusPerNode, realNodesPresent: nodes.real > 0 },
    ]);
  const providerParts = requests.flatMap(([type, request]) => nodeProviders[type].parts(request));
  const needs: ControlPlaneNeeds = {};
  for (const part of providerParts) {
    if (!part.controlPlane) continue;
    if (part.controlPlane.apiAddress) {
      needs.apiAddress = part.controlPlane.apiAddress;
      needs.apiAfter = [...(needs.apiAfter ?? []), part.name];
    }
    needs.authorizers = [
      ...new Set([...(needs.authorizers ?? []), ...(part.controlPlane.authorizers ?? [])]),
    ];
  }
  return { parts: [...controlPlaneParts(needs), ...providerParts], needs };
}

function handleFor(state: ClusterState, home: string, reused: boolean): LocalCluster {
  return {
    name: state.name,
    kubeconfig: state.kubeconfig,
    server: state.server,
    dir: state.dir,
    timings: state.timings,
    reused,
    stop: async () => {
      await stopLocalCluster(state.name, { home });
    },
  };
}

/**
 * Stops every process of the named cluster (found through its state, including a crashed run's), runs
 * its parts' cleanups and removes its state directory. Resolves false when there was nothing to stop.
 * When a cleanup fails the state stays, so that another `down` can finish the job.
 */
export async function stopLocalCluster(name: string, options: { home?: string } = {}): Promise<boolean> {
  const home = options.home ?? kubeproofHome();
  const dir = clusterDir(name, home);
  const state = await readState(name, home);
  if (state) await teardownParts(state.parts, { clusterName: name, dir: state.dir });
  const existed =
    state !== undefined ||
    (await rm(dir, { recursive: true }).then(
      () => true,
      () => false,
    ));
  await rm(dir, { recursive: true, force: true });
  await removeStaleLock(join(clustersDir(home), `.${name}.lock`));
  return existed;
}

/**
 * Loads image archives into the named cluster's real nodes (`cluster load`). Throws when the cluster
 * is not running or has no real node.
 */
export async function loadImages(
  name: string,
  archives: readonly string[],
  options: { home?: string } = {},
): Promise<string[]> {
  const home = options.home ?? kubeproofHome();
  for (const archive of archives) {
    if (
      !(await access(archive).then(
        () => true,
        () => false,
      ))
    )
      throw new ClusterStartError(`no such image archive: ${archive} (make one with \`docker save\`)`);
  }
  const state = await readState(name, home);
  if (!state || (await clusterStatus(state)).health === "stopped")
    throw new ClusterStartError(
      `no running cluster named "${name}"; start one with \`kubeproof cluster up --real-nodes 1\``,
    );
  const binaries = await findBinaries({ components: ["containerd"], home });
  const ctr = binaries?.ctr;
  if (!ctr) throw new ClusterStartError("ctr is not installed; run `kubeproof cluster install --real-nodes`");
  const nodes = await loadImageArchives(state, archives, ctr);
  if (nodes.length === 0)
    throw new ClusterStartError(
      `cluster "${name}" has no real node: its kwok nodes run no images; start it with --real-nodes 1`,
    );
  return nodes;
}
