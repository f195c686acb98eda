import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface LockHandle {
  release(): Promise<void>;
}

export interface LockOptions {
  /** Called once when the lock is held by another live process and we start waiting. */
  onWait?: (holderPid: number) => void;
  pollMs?: number;
  signal?: AbortSignal;
}

/**
 * An exclusive lock between processes on this machine: a directory created atomically with `mkdir`,
 * holding the owner's pid. A lock whose owner died (a killed install) is taken over, never waited on.
 */
export async function acquireLock(lockDir: string, options: LockOptions = {}): Promise<LockHandle> {
  const pidFile = join(lockDir, "pid");
  let announced = false;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      await mkdir(lockDir);
      await writeFile(pidFile, String(process.pid));
      return { release: () => rm(lockDir, { recursive: true, force: true }) };
    } catch (error) {
      if (!isErrno(error, "EEXIST")) throw error;
    }
    const holder = await readPid(pidFile);
    if (holder !== undefined && !isAlive(holder)) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!announced && holder !== undefined) {
      options.onWait?.(holder);
      announced = true;
    }
    // A holder that has not written its pid yet is mid-acquire: wait like for any holder.
    await sleep(options.pollMs ?? 250, undefined, { signal: options.signal });
  }
}

/** Removes a lock left by a process that died (`kill -9` of `cluster up`); a live holder's stays. */
export async function removeStaleLock(lockDir: string): Promise<void> {
  const holder = await readPid(join(lockDir, "pid"));
  if (holder === undefined || isAlive(holder)) return;
  await rm(lockDir, { recursive: true, force: true });
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(file, "utf8"), 10);
    return Number.isFinite(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isErrno(error, "EPERM");
  }
}

export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
