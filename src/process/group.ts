import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The one kill policy, for a process group (a launched process and everything it started): SIGTERM
 * to the group, then SIGKILL to what still runs after a grace period; a grace of 0 sends SIGKILL at
 * once. Works on any group leader's pid, also one a previous kubeproof started (`cluster down`).
 */

const POLL_MS = 10;
/** After SIGKILL a process is gone within milliseconds; this only bounds a wait on a stuck kernel. */
const KILLED_WAIT_MS = 5000;

/** Sends `signal` to the group led by `pgid`, or to the process alone when it leads no group. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // kill(-1) signals every process we may signal, kill(0) our own group: never from a bad pid.
  if (!isProcessId(pgid)) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    try {
      process.kill(pgid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Stops the group led by `pgid` (see above). Resolves when nothing of it runs any more. */
export async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  if (!anyRunning(pgid)) return;
  if (graceMs > 0) {
    signalGroup(pgid, "SIGTERM");
    if (await stopped(pgid, graceMs)) return;
  }
  signalGroup(pgid, "SIGKILL");
  await stopped(pgid, KILLED_WAIT_MS);
}

async function stopped(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (anyRunning(pgid)) {
    if (performance.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function anyRunning(pgid: number): boolean {
  return groupRunning(pgid) || isRunning(pgid);
}

/**
 * Whether a process of the group led by `pgid` still runs. The leader may be gone while what it
 * started runs on; zombies do not count (where nothing reaps orphans they stay in the group forever).
 */
export function groupRunning(pgid: number): boolean {
  if (!isProcessId(pgid)) return false;
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    return errnoCode(error) === "EPERM";
  }
  if (isRunning(pgid)) return true;
  if (process.platform !== "linux") return true;
  return liveGroups().has(pgid);
}

/**
 * The process groups with a member that is not a zombie, from one scan of /proc. A scan reads every
 * process's stat (milliseconds on a busy machine), so groups stopped together share one per poll.
 */
let scan: { at: number; groups: Set<number> } | undefined;
function liveGroups(): Set<number> {
  if (scan && performance.now() - scan.at < POLL_MS / 2) return scan.groups;
  const groups = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (entry.charCodeAt(0) > 0x39) continue; // not a pid
    const stat = procStat(entry);
    if (stat && stat.state !== "Z") groups.add(stat.pgrp);
  }
  scan = { at: performance.now(), groups };
  return groups;
}

/** Alive and not a zombie: an exited child whose parent has not reaped it yet counts as stopped. */
export function isRunning(pid: number): boolean {
  if (!isProcessId(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (errnoCode(error) !== "EPERM") return false;
  }
  if (process.platform !== "linux") return true;
  const stat = procStat(String(pid));
  return stat !== undefined && stat.state !== "Z";
}

/** State and process group from /proc/<pid>/stat, or undefined when the process is gone. */
function procStat(pid: string): { state: string; pgrp: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The fields after the parenthesised command name (which may contain spaces): state ppid pgrp ...
  const [state = "", , pgrp = ""] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state, pgrp: Number(pgrp) };
}

/** A pid another process can have: 0, 1 (init) and negative numbers have other meanings for kill(). */
function isProcessId(pid: number): boolean {
  return Number.isInteger(pid) && pid > 1;
}

function errnoCode(error: unknown): string | undefined {
  return error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
}

/**
 * Groups to kill when kubeproof exits, however it exits: a safety net so that nothing a test or a
 * check started outlives the run, even when the code that should stop it never gets to (a crash, a
 * second Ctrl-C). The 'exit' handler must be synchronous, hence SIGKILL without waiting.
 */
const exitKills = new Set<number>();
let exitHandlerInstalled = false;

export function killOnExit(pgid: number): void {
  exitKills.add(pgid);
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on("exit", () => {
    for (const group of exitKills) signalGroup(group, "SIGKILL");
  });
}

export function forgetOnExit(pgid: number): void {
  exitKills.delete(pgid);
}
