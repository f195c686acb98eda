import type { ComponentName } from "../versions.ts";

export type BinarySource = "dir" | "cache" | "download" | "build";

/** Progress of `installBinaries`, rendered by the CLI; the install itself never prints. */
export type InstallEvent =
  | { type: "lock-wait"; holderPid: number }
  | { type: "source-skipped"; component: ComponentName; source: BinarySource; reason: string }
  | { type: "resolved"; component: ComponentName; source: BinarySource; dir: string }
  | { type: "download-progress"; component: ComponentName; file: string; bytes: number; totalBytes?: number }
  | { type: "build-start"; component: ComponentName; binaries: readonly string[] }
  | { type: "build-phase"; component: ComponentName; phase: "download-modules" | "compile" | "link" }
  | { type: "build-progress"; component: ComponentName; packages: number; current: string; elapsedMs: number }
  | { type: "build-done"; component: ComponentName; elapsedMs: number };

export type InstallListener = (event: InstallEvent) => void;
