/**
 * Progress of installing the cluster's binaries and of starting a local cluster. The cluster emits
 * these and never prints; reporters (`src/report/cluster-progress.ts`) render them. They live in the
 * model so that reporters depend on the model only, not on the cluster.
 */

export type BinarySource = "dir" | "cache" | "download" | "build";

/** Progress of `installBinaries`. `component` is a key of `versions` (`src/cluster/versions.ts`). */
export type InstallEvent =
  | { type: "lock-wait"; holderPid: number }
  | { type: "source-skipped"; component: string; source: BinarySource; reason: string }
  | { type: "resolved"; component: string; source: BinarySource; dir: string }
  | { type: "download-progress"; component: string; file: string; bytes: number; totalBytes?: number }
  | { type: "build-start"; component: string; binaries: readonly string[] }
  | { type: "build-phase"; component: string; phase: "download-modules" | "compile" | "link" }
  | { type: "build-progress"; component: string; packages: number; current: string; elapsedMs: number }
  | { type: "build-done"; component: string; elapsedMs: number }
  /** Real nodes' system packages (runc, iptables, busybox-static) being installed with apt-get. */
  | { type: "system-packages"; packages: readonly string[]; command: string };

export type InstallListener = (event: InstallEvent) => void;

export type ClusterPhase = "install" | "start" | "api-ready" | "nodes-ready" | "ready";

/** Progress of `startLocalCluster`. */
export type ClusterEvent =
  | InstallEvent
  | { type: "cluster-phase"; name: string; phase: ClusterPhase; elapsedMs: number }
  /** A part began starting (the parts it comes after are ready), or became ready. */
  | { type: "cluster-part"; name: string; part: string; phase: "started" | "ready"; elapsedMs: number }
  | { type: "cluster-reused"; name: string };
