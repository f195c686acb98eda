import { clusterStatus, listClusterNames, readState, type ClusterStatus } from "./state.ts";

/** Every local cluster with state, with its health; directories without state are crashed starts. */
export async function listLocalClusters(
  options: { home?: string } = {},
): Promise<(ClusterStatus | { name: string; health: "incomplete" })[]> {
  const result: (ClusterStatus | { name: string; health: "incomplete" })[] = [];
  for (const name of await listClusterNames(options.home)) {
    const state = await readState(name, options.home);
    result.push(state ? await clusterStatus(state) : { name, health: "incomplete" });
  }
  return result;
}
