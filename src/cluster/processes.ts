import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { isAlive } from "./lock.ts";

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
    const child = spawn(binary, args, { cwd: clusterDir, detached: true, stdio: ["ignore", fd, fd] });
    if (child.pid === undefined) throw new Error(`could not start ${binary}`);
    const exited = new Promise<string>((resolve) => {
      child.once("error", (error) => resolve(`${name} failed to start: ${error.message}`));
      child.once("exit", (code, signal) => resolve(`${name} exited (${signal ?? `code ${code}`})`));
    });
    child.unref();
    return { name, pid: child.pid, logFile, exited };
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
 * Stops processes: SIGTERM to each process group, then SIGKILL to what is still alive after the grace
 * period. The local cluster's state is thrown away afterwards, so by default there is no grace at all
 * (kwokctl does the same): a graceful API server shutdown only costs time here.
 */
export async function stopProcesses(
  processes: ManagedProcess[],
  clusterDir: string,
  graceMs = 0,
): Promise<void> {
  const ours: number[] = [];
  for (const { pid } of processes) if (await isClusterProcess(pid, clusterDir)) ours.push(pid);
  for (const pid of ours) signalGroup(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (ours.some(isRunning) && Date.now() < deadline) await sleep(20);
  for (const pid of ours.filter(isRunning)) signalGroup(pid, "SIGKILL");
  const killDeadline = Date.now() + 5000;
  while (ours.some(isRunning) && Date.now() < killDeadline) await sleep(10);
}

/** Alive and not a zombie: an exited child whose parent has not reaped it yet counts as stopped. */
export function isRunning(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return process.platform !== "linux";
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
