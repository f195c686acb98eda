import { closeSync, openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { isRunning, launchProcess, stopGroup } from "../process/index.ts";

export { isRunning };

/** One component process of a local cluster, as recorded in the cluster's state. */
export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
}

export interface SpawnedProcess extends ManagedProcess {
  /** Resolves with a description when the process exits (used to fail a start early). */
  exited: Promise<string>;
}

/**
 * Starts a component in its own process group, detached from the caller, with output to a log file in
 * the cluster's directory: the cluster outlives `kubeproof cluster up`, and `down` finds it by pid.
 */
export function spawnComponent(
  name: string,
  binary: string,
  args: string[],
  clusterDir: string,
): SpawnedProcess {
  const logFile = join(clusterDir, "logs", `${name}.log`);
  const fd = openSync(logFile, "a");
  try {
    const launched = launchProcess({
      command: binary,
      args,
      cwd: clusterDir,
      stdout: { fd },
      stderr: { fd },
      afterExit: "outlive",
    });
    if (launched.pid === undefined) throw new Error(`could not start ${binary}`);
    const exited = launched.exited.then((exit) =>
      exit.error
        ? `${name} failed to start: ${exit.error.message}`
        : `${name} exited (${exit.signal ?? `code ${exit.code}`})`,
    );
    return { name, pid: launched.pid, logFile, exited };
  } finally {
    closeSync(fd);
  }
}

/**
 * True when `pid` is alive and is one of this cluster's processes: every component's command line names
 * the cluster directory, which guards against a recycled pid after a reboot or crash.
 */
export async function isClusterProcess(pid: number, clusterDir: string): Promise<boolean> {
  if (!isRunning(pid)) return false;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes(clusterDir);
  } catch {
    // No /proc (macOS): trust the pid.
    return process.platform !== "linux";
  }
}

/**
 * Stops processes with the launcher's kill policy: SIGTERM to each process group, then SIGKILL to what
 * is still alive after the grace period. The local cluster's state is thrown away afterwards, so by
 * default there is no grace at all (kwokctl does the same): a graceful API server shutdown only costs
 * time here.
 */
export async function stopProcesses(
  processes: ManagedProcess[],
  clusterDir: string,
  graceMs = 0,
): Promise<void> {
  const ours: number[] = [];
  for (const { pid } of processes) if (await isClusterProcess(pid, clusterDir)) ours.push(pid);
  await Promise.all(ours.map((pid) => stopGroup(pid, graceMs)));
}
