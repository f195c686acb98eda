import { spawn, type ChildProcess } from "node:child_process";

/**
 * A process started and left running: a set-up's background command (kuttl's `background: true`),
 * such as an operator or a port-forward that every test uses. It runs in its own process group
 * (`detached`), so stopping it also stops what it started (`sh -c 'operator &'`), and it never keeps
 * kubeproof alive: if the run ends without stopping it, the group is killed as the process exits.
 */
export interface BackgroundProcess {
  /** Settles when it has exited, with how it ended and the tail of its output. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
  /** SIGKILLs its process group (kuttl kills background commands) and waits until it has exited. */
  stop(): Promise<void>;
}

export interface BackgroundSpec {
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** The part of a background process's output kept for messages: the end is what explains an exit. */
const OUTPUT_TAIL_CHARS = 8 * 1024;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts `spec` and resolves once it runs; rejects when it cannot start (no such program). The one
 * place background processes are spawned, so that the run's process launcher can take it over.
 */
export async function startBackground(spec: BackgroundSpec): Promise<BackgroundProcess> {
  installExitHook();
  const child = spawn(spec.file, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => {
      child.once("exit", (code, signal) => {
        running.delete(child);
        // Grandchildren that left the group may still hold the pipes: stop reading them.
        child.stdout?.destroy();
        child.stderr?.destroy();
        resolve({ code, signal, output });
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  running.add(child);
  // Neither the process nor its pipes keep the event loop alive: the run decides when it ends.
  child.unref();
  for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
  return {
    exited,
    stop: async () => {
      if (!running.has(child)) return;
      // Referenced again so that the wait for its exit keeps the event loop (and the run) going.
      child.ref();
      killGroup(child);
      await exited;
    },
  };
}

function killGroup(child: ChildProcess): void {
  // Never kill(-0): that would be kubeproof's own process group.
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}

/** A crash or an exit before the set-up was stopped must not leave its processes behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) killGroup(child);
  });
}
