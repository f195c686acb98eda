import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { clusterDir, clustersDir } from "./paths.ts";
import type { ManagedProcess } from "./processes.ts";
import { isClusterProcess } from "./processes.ts";
import { versions } from "./versions.ts";

export interface ClusterTimings {
  /** From the first process start to the API server answering `/readyz`. */
  apiReadyMs: number;
  /** From the first process start to every node Ready (and the cluster usable). */
  nodesReadyMs: number;
}

/** What `cluster up` records in `<cluster dir>/cluster.json`, and `down`, `status` and `list` read. */
export interface ClusterState {
  name: string;
  dir: string;
  kubeconfig: string;
  server: string;
  createdAt: string;
  nodes: number;
  gpusPerNode: number;
  ports: Record<string, number>;
  processes: ManagedProcess[];
  versions: typeof versions;
  timings: ClusterTimings;
}

export type ClusterHealth = "running" | "degraded" | "stopped";

export interface ClusterStatus {
  state: ClusterState;
  health: ClusterHealth;
  /** Component names whose process is not running. */
  down: string[];
}

const stateFile = "cluster.json";

export async function writeState(state: ClusterState): Promise<void> {
  const file = join(state.dir, stateFile);
  await writeFile(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}

export async function readState(name: string, home?: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(join(clusterDir(name, home), stateFile), "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

export async function clusterStatus(state: ClusterState): Promise<ClusterStatus> {
  const down: string[] = [];
  for (const process of state.processes) {
    if (!(await isClusterProcess(process.pid, state.dir))) down.push(process.name);
  }
  const health: ClusterHealth =
    down.length === 0 ? "running" : down.length === state.processes.length ? "stopped" : "degraded";
  return { state, health, down };
}

/** Every cluster with a state directory, including the remains of crashed runs. */
export async function listClusterNames(home?: string): Promise<string[]> {
  try {
    const entries = await readdir(clustersDir(home), { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}
