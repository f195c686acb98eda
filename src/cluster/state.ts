import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { clusterDir, clustersDir } from "./paths.ts";
import type { ManagedProcess } from "./processes.ts";
import { isClusterProcess } from "./processes.ts";
import { versions } from "./versions.ts";

export interface ClusterTimings {
  /** From the first process start to the API server answering `/readyz`. */
  apiReadyMs: number;
  /** From the first process start to every part ready: nodes Ready and the cluster usable. */
  nodesReadyMs: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One part of a cluster as `cluster.json` records it: enough for `down` to undo it after a crash. */
export interface PartRecord {
  name: string;
  /** The node provider whose cleanup undoes this part beyond its processes (none for the control plane). */
  provider?: string;
  /** The parts it started after. */
  after: string[];
  /** The nodes it brings. */
  nodes: string[];
  /** Recorded as each starts, so `down` stops a start that never finished. */
  processes: ManagedProcess[];
  /** What the part recorded for its cleanup (a mount, a network namespace) before creating it. */
  resources: Record<string, JsonValue>;
  /** When it was started and found ready, in ms after the cluster's start (absent until then). */
  startedMs?: number;
  readyMs?: number;
}

/** What `cluster up` records in `<cluster dir>/cluster.json`, and `down`, `status` and `list` read. */
export interface ClusterState {
  name: string;
  dir: string;
  kubeconfig: string;
  server: string;
  createdAt: string;
  /** Nodes of every provider. */
  nodes: number;
  gpusPerNode: number;
  /** Every port the parts asked for, by name. */
  ports: Record<string, number>;
  /** In the order they were declared: the control plane, then each node provider's parts. */
  parts: PartRecord[];
  versions: typeof versions;
  timings: ClusterTimings;
}

export type ClusterHealth = "running" | "degraded" | "stopped";

export interface ClusterStatus {
  state: ClusterState;
  health: ClusterHealth;
  /** Names of the processes that are not running. */
  down: string[];
}

const stateFile = "cluster.json";

/** Every process of the cluster, part by part. */
export function clusterProcesses(state: ClusterState): ManagedProcess[] {
  return state.parts.flatMap((part) => part.processes);
}

export async function writeState(state: ClusterState): Promise<void> {
  const file = join(state.dir, stateFile);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

/**
 * Writes the state after each change, one write at a time (parts start concurrently, and two writes
 * through the same temporary file would race). Failures are kept for `flush`.
 */
export function stateWriter(state: ClusterState): { save: () => void; flush: () => Promise<void> } {
  let chain: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  return {
    save: () => {
      chain = chain
        .then(() => writeState(state))
        .catch((error: unknown) => {
          // Only the file system fails here, and it throws Errors.
          failure ??= error as Error;
        });
    },
    flush: async () => {
      await chain;
      if (failure) throw failure;
    },
  };
}

export async function readState(name: string, home?: string): Promise<ClusterState | undefined> {
  let parsed: ClusterState & { processes?: ManagedProcess[] };
  try {
    parsed = JSON.parse(await readFile(join(clusterDir(name, home), stateFile), "utf8")) as typeof parsed;
  } catch {
    return undefined;
  }
  // A cluster started by a version before parts recorded one flat list of processes.
  if (!Array.isArray(parsed.parts)) {
    parsed.parts = [
      { name: "processes", after: [], nodes: [], processes: parsed.processes ?? [], resources: {} },
    ];
  }
  delete parsed.processes;
  return parsed;
}

export async function clusterStatus(state: ClusterState): Promise<ClusterStatus> {
  const processes = clusterProcesses(state);
  const down: string[] = [];
  for (const process of processes) {
    if (!(await isClusterProcess(process.pid, state.dir))) down.push(process.name);
  }
  // No process at all is a start that died before its first one, not a running cluster.
  const health: ClusterHealth =
    down.length === processes.length ? "stopped" : down.length === 0 ? "running" : "degraded";
  return { state, health, down };
}

/** Every cluster with a state directory, including the remains of crashed runs. */
export async function listClusterNames(home?: string): Promise<string[]> {
  try {
    const entries = await readdir(clustersDir(home), { withFileTypes: true });
    return (
      entries
        // `.<name>.lock` directories are the clusters' start locks, not clusters.
        .filter((e) => e.isDirectory() && !e.name.startsWith("."))
        .map((e) => e.name)
        .sort()
    );
  } catch {
    return [];
  }
}
