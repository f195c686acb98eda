import type { InstallEvent } from "./install/events.ts";

export type ClusterPhase = "install" | "start" | "api-ready" | "nodes-ready" | "ready";

/** Progress of `startLocalCluster`, for reporters; the cluster itself never prints. */
export type ClusterEvent =
  | InstallEvent
  | { type: "cluster-phase"; name: string; phase: ClusterPhase; elapsedMs: number }
  /** A part began starting (the parts it comes after are ready), or became ready. */
  | { type: "cluster-part"; name: string; part: string; phase: "started" | "ready"; elapsedMs: number }
  | { type: "cluster-reused"; name: string };
