import { accessSync, constants } from "node:fs";
import { availableParallelism } from "node:os";
import { delimiter, join } from "node:path";
import type { GateCheck, LocalTier } from "./config.ts";
import type { GateEventHandler } from "../model/gate-events.ts";
import { checkStatus, type CheckInput } from "./feedback/index.ts";
import { anyMatch } from "./glob.ts";
import { formatDuration } from "../source/duration.ts";
import { launchProcess, OutputCapture } from "../process/index.ts";
import { mapConcurrent } from "../source/pool.ts";

/**
 * The local tier: every check of the tier runs, up to `jobs` at a time, each in its own process
 * group so a timeout stops everything it started. A failing check does not stop the others: the
 * feedback should list every problem at once.
 */

export interface LocalTierOptions {
  /** The repository root: checks run there. */
  root: string;
  /** Checks run at once (default: the number of CPUs). */
  jobs?: number;
  /** Files changed against `base`; undefined runs every check whatever its `paths`. */
  changed?: readonly string[];
  base?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent?: GateEventHandler;
  /** Bytes of output kept per check (the tail). Default 256 KiB. */
  outputBytes?: number;
  /** Between SIGTERM and SIGKILL when a check is stopped. Default 5 s. */
  killGraceMs?: number;
}

const DEFAULT_OUTPUT_BYTES = 256 * 1024;
const DEFAULT_KILL_GRACE_MS = 5000;

let shellCache: string | undefined;

/** bash when it is installed (checks are written for it more often than not), else sh. */
export function checkShell(env: NodeJS.ProcessEnv = process.env): string {
  if (shellCache !== undefined) return shellCache;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      accessSync(join(dir, "bash"), constants.X_OK);
      shellCache = join(dir, "bash");
      return shellCache;
    } catch {
      // not here
    }
  }
  shellCache = "/bin/sh";
  return shellCache;
}

/** Why a check with `paths` does not run, or undefined when it runs. */
export function skipReason(
  check: Pick<GateCheck, "paths">,
  changed: readonly string[] | undefined,
  base: string | undefined,
): string | undefined {
  if (check.paths === undefined || changed === undefined) return undefined;
  if (anyMatch(check.paths, changed)) return undefined;
  return `no changed file matches ${check.paths.join(", ")}${base !== undefined ? ` (against ${base})` : ""}`;
}

/** The result of a check that did not run, and why. */
export function skippedCheck(tier: string, check: GateCheck, reason: string): CheckInput {
  return { tier, name: check.name, command: check.run, exitCode: null, durationMs: 0, skipped: reason };
}

export async function runLocalTier(tier: LocalTier, options: LocalTierOptions): Promise<CheckInput[]> {
  const results: CheckInput[] = new Array<CheckInput>(tier.checks.length);
  const queue: number[] = [];
  tier.checks.forEach((check, index) => {
    const reason = skipReason(check, options.changed, options.base);
    if (reason === undefined) {
      queue.push(index);
      return;
    }
    results[index] = skippedCheck(tier.name, check, reason);
    options.onEvent?.({ type: "check-skip", tier: tier.name, check: check.name, reason });
  });
  await mapConcurrent(queue, options.jobs ?? availableParallelism(), async (index) => {
    const check = tier.checks[index];
    if (check === undefined) return;
    if (options.signal?.aborted) {
      results[index] = skippedCheck(tier.name, check, "interrupted");
      return;
    }
    options.onEvent?.({ type: "check-begin", tier: tier.name, check: check.name });
    const result = await runCheck(tier.name, check, options);
    results[index] = result;
    options.onEvent?.({
      type: "check-end",
      tier: tier.name,
      check: check.name,
      status: checkStatus(result),
      exitCode: result.exitCode,
      durationMs: result.durationMs,
    });
  });
  return results;
}

/** Runs one check to completion, timeout or interrupt. Never rejects: failures are results. */
export async function runCheck(
  tier: string,
  check: GateCheck,
  options: LocalTierOptions,
): Promise<CheckInput> {
  // One text for both streams, without terminal codes: what the feedback quotes is what a person saw.
  const capture = new OutputCapture({
    maxBytes: options.outputBytes ?? DEFAULT_OUTPUT_BYTES,
    stripAnsi: true,
  });
  const started = performance.now();
  const shell = checkShell(options.env);
  const launched = launchProcess({
    command: shell,
    args: ["-c", check.run],
    cwd: options.root,
    env: { ...(options.env ?? process.env), ...check.env },
    stdout: capture.stream(),
    stderr: capture.stream(),
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    // What the check left running in its group (a server it started) goes with it.
    afterExit: "kill",
  });
  let timedOut = false;
  let interrupted = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void launched.stop();
  }, check.timeout);
  const onAbort = (): void => {
    interrupted = true;
    void launched.stop();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const exit = await launched.exited;
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);

  const result: CheckInput = {
    tier,
    name: check.name,
    command: check.run,
    exitCode: timedOut || interrupted ? null : exit.code,
    durationMs: performance.now() - started,
    output: capture.text(),
  };
  if (timedOut) {
    result.timedOut = true;
    result.error = `stopped after its timeout of ${formatDuration(check.timeout)}`;
  } else if (exit.error) {
    result.error = `could not start ${shell}: ${exit.error.message}`;
  } else if (interrupted) {
    result.error = "interrupted";
  } else if (exit.signal) {
    result.error = `killed by ${exit.signal}`;
  }
  return result;
}
