/**
 * kubeproof's library API. The CLI is built on the same functions.
 */
export { startLocalCluster, stopLocalCluster, ClusterStartError } from "./cluster/local-cluster.ts";
export type {
  LocalCluster,
  LocalClusterOptions,
  ClusterEvent,
  ClusterPhase,
} from "./cluster/local-cluster.ts";
export { listLocalClusters } from "./cluster/list.ts";
export type { ClusterStatus, ClusterState, ClusterHealth, ClusterTimings } from "./cluster/state.ts";
export { installBinaries, findBinaries, InstallError } from "./cluster/install/index.ts";
export type { BinaryPaths, InstallOptions, InstallEvent } from "./cluster/install/index.ts";
export { criLogLines } from "./cluster/kwok-config.ts";
export { versions } from "./cluster/versions.ts";
export { KubeClient, ApiError, isNotFound } from "./kube/client.ts";
export { loadKubeconfig } from "./kube/kubeconfig.ts";
export { execInPod } from "./kube/exec.ts";
