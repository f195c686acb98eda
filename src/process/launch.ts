import { spawn, type StdioOptions } from "node:child_process";
import type { Readable } from "node:stream";
import type { OutputStream } from "./capture.ts";
import { forgetOnExit, groupRunning, killOnExit, stopGroup } from "./group.ts";

/**
 * The one process launcher: scripts and commands of tests (ops), gate checks, and the local
 * cluster's components all start here, so they share how a process is started, stopped and read.
 */

/** Where a child's stdout or stderr goes: into an OutputStream, a file it writes itself, or nowhere. */
export type OutputTarget = OutputStream | { fd: number } | "ignore";

/**
 * What becomes of the processes the child leaves in its process group when it exits:
 * - `kill`: they are killed with it (a server a gate check started);
 * - `keep`: they run on until the caller calls `stop` (a script's `kubectl port-forward ... &`, which
 *   the test stops at its end);
 * - `outlive`: the child itself is meant to outlive kubeproof (a cluster component, stopped later by
 *   pid): it is not killed when kubeproof exits (and is `unref`'d).
 */
export type AfterExit = "kill" | "keep" | "outlive";

export interface LaunchOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdout?: OutputTarget;
  stderr?: OutputTarget;
  /** Aborting stops the process group, as `stop` does. */
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL when the group is stopped; 0 (the default) sends SIGKILL at once. */
  killGraceMs?: number;
  afterExit: AfterExit;
  /**
   * Neither the child nor its pipes keep Node's event loop alive: for a process that runs beside the
   * work (a set-up's background operator), which the caller stops when it is done. Default: only with
   * `afterExit: "outlive"`.
   */
  unref?: boolean;
}

export interface ProcessExit {
  /** The exit code, null when a signal ended the process or it never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why the process could not start (ENOENT, EACCES...). */
  error?: Error;
  /** True when `stop` (or the abort signal) stopped it before it exited by itself. */
  stopped: boolean;
}

export interface LaunchedProcess {
  /** Also the id of its process group; undefined when it could not start. */
  readonly pid: number | undefined;
  /**
   * Settles when the child has exited and its output is read: when its pipes close, or shortly after
   * the exit when something it left running holds them. Never rejects.
   */
  readonly exited: Promise<ProcessExit>;
  /** Stops the whole group (SIGTERM, SIGKILL after the grace). Resolves when nothing of it runs. */
  stop(graceMs?: number): Promise<void>;
  /** Whether anything of the group runs: the child, or after its exit what it left behind. */
  running(): boolean;
}

/**
 * After the child exits, how long its output may still arrive. What it printed before exiting is
 * already in the pipe and is read at once; a process it left behind may hold the pipes open for
 * ever, and the result must not wait for that.
 */
export const PIPE_GRACE_MS = 200;

export function launchProcess(options: LaunchOptions): LaunchedProcess {
  const targets = [options.stdout ?? "ignore", options.stderr ?? "ignore"] as const;
  const stdio: StdioOptions = ["ignore", ...targets.map(stdioOf)];
  const child = spawn(options.command, options.args ?? [], {
    cwd: options.cwd,
    env: options.env,
    // `detached` makes the child the leader of a new process group (setsid), so `kill(-pid)` reaches
    // everything it starts, however deep: a timeout stops a script's whole pipeline, not only its
    // shell. It also keeps a Ctrl-C in the terminal from reaching the child directly: kubeproof
    // decides when and how its children stop.
    detached: true,
    stdio,
  });
  const pid = child.pid;
  const graceMs = options.killGraceMs ?? 0;
  if (pid !== undefined && options.afterExit !== "outlive") killOnExit(pid);
  const pipes = connect([child.stdout, child.stderr], targets);
  if (options.unref ?? options.afterExit === "outlive") {
    child.unref();
    for (const [pipe] of pipes) unrefPipe(pipe);
  }

  let stopped = false;
  let exit: Omit<ProcessExit, "stopped"> | undefined;
  const stop = async (grace = graceMs): Promise<void> => {
    if (pid === undefined) return;
    if (exit === undefined) {
      stopped = true;
      // Whoever stops it waits for its exit: an unref'd child and its pipes count again until then.
      // (Pipes detached after the exit stay unref'd: a process that left the group may hold them.)
      child.ref();
      for (const [pipe] of pipes) refPipe(pipe);
    }
    await stopGroup(pid, grace);
    forgetOnExit(pid);
  };
  const onAbort = (): void => void stop();

  const exited = new Promise<ProcessExit>((resolve) => {
    let pipeTimer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(pipeTimer);
      options.signal?.removeEventListener("abort", onAbort);
      for (const [, stream] of pipes) stream.end();
      if (pid !== undefined && !groupRunning(pid)) forgetOnExit(pid);
      resolve({ ...(exit ?? { code: null, signal: null }), stopped });
    };
    child.on("error", (error) => {
      exit = { code: null, signal: null, error };
      if (pid === undefined) settle();
    });
    child.on("exit", (code, signal) => {
      exit = { code, signal };
      if (options.afterExit === "kill" && pid !== undefined)
        void stopGroup(pid, 0).then(() => forgetOnExit(pid));
      pipeTimer = setTimeout(() => {
        for (const [pipe] of pipes) detach(pipe);
        settle();
      }, PIPE_GRACE_MS);
    });
    child.on("close", settle);
  });

  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });
  return { pid, exited, stop, running: () => pid !== undefined && groupRunning(pid) };
}

/** Passes what each pipe reads to its OutputStream target. */
function connect(
  pipes: readonly (Readable | null)[],
  targets: readonly OutputTarget[],
): [Readable, OutputStream][] {
  const connected: [Readable, OutputStream][] = [];
  targets.forEach((target, index) => {
    const pipe = pipes[index];
    if (pipe && isStream(target)) {
      pipe.on("data", (chunk: Buffer) => target.write(chunk));
      connected.push([pipe, target]);
    }
  });
  return connected;
}

/**
 * Stops reading a pipe that a left-behind process holds, without closing it: closing would make its
 * next write fail with EPIPE, and a port-forward that logs each connection would die of that.
 * What it still writes is drained and dropped; the pipe no longer keeps Node's event loop alive.
 */
function detach(pipe: Readable): void {
  pipe.removeAllListeners("data");
  pipe.resume();
  unrefPipe(pipe);
}

function unrefPipe(pipe: Readable): void {
  (pipe as Readable & { unref?: () => void }).unref?.();
}

function refPipe(pipe: Readable): void {
  if (!pipe.destroyed) (pipe as Readable & { ref?: () => void }).ref?.();
}

function stdioOf(target: OutputTarget): "ignore" | "pipe" | number {
  if (target === "ignore") return "ignore";
  return isStream(target) ? "pipe" : target.fd;
}

function isStream(target: OutputTarget): target is OutputStream {
  return target !== "ignore" && "write" in target;
}
