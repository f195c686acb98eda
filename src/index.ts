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

// Running tests: the same entry point the CLI uses.
export { runTests, planTests, testInfo, NoTestsError } from "./run/runner.ts";
export type { RunTestsOptions, TestSource, PlannedRun } from "./run/runner.ts";
export { connectCluster, ClusterChoiceError } from "./run/cluster-target.ts";
export type { ClusterChoice, ConnectedCluster } from "./run/cluster-target.ts";
export { SelectionError } from "./run/plan.ts";
export type { Selection } from "./run/plan.ts";
export { loadProject, LoadErrors, LoadError } from "./load/index.ts";
export { Reporters, createReporters } from "./report/index.ts";
export type { Reporter, ReporterOptions } from "./report/index.ts";
export type * from "./model/index.ts";
export { formatLocation, testId } from "./model/index.ts";
