import { access, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { acquireLock } from "../lock.ts";
import { componentCacheDir, kubeproofHome } from "../paths.ts";
import type { ComponentName } from "../versions.ts";
import {
  allComponents,
  baseComponents,
  componentBinaries,
  componentVersion,
  realNodeComponents,
} from "../versions.ts";
import { buildComponent } from "./build.ts";
import { downloadComponent } from "./download.ts";
import type { BinarySource, InstallListener } from "../../model/cluster-events.ts";
import { ensureSystemPackages } from "./system.ts";
import { checkComponentDir } from "./verify.ts";
import { errorMessage } from "../../source/errors.ts";

export type { BinarySource, InstallEvent, InstallListener } from "../../model/cluster-events.ts";

const completeMarker = ".kubeproof-complete";

export interface InstallOptions {
  /**
   * The components to provide (default: a kwok-only cluster's): a cluster asks for those its parts need,
   * `cluster install --real-nodes` for the real node's too.
   */
  components?: readonly ComponentName[];
  /** A directory of prebuilt binaries (flag `--bin-dir`; env `KUBEPROOF_BIN_DIR`). */
  binDir?: string;
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Try the official release downloads (default true unless `KUBEPROOF_NO_DOWNLOAD=1`). */
  download?: boolean;
  /** Build from Go modules as the last resort (default true). */
  build?: boolean;
  onEvent?: InstallListener;
  signal?: AbortSignal;
}

/** Absolute path of every binary, by name (`kube-apiserver`, `etcd`, `kwok`, …). */
export type BinaryPaths = Record<string, string>;

export class InstallError extends Error {
  constructor(
    message: string,
    readonly attempts: { component: ComponentName; source: BinarySource; reason: string }[],
  ) {
    super(message);
    this.name = "InstallError";
  }
}

/**
 * Makes every pinned binary available and returns their paths. Sources, in order: the given directory,
 * the versioned cache, the official release downloads, a build from the Go wrapper modules. Safe to run
 * concurrently (an install lock) and idempotent (a complete cache entry is used as is).
 */
export async function installBinaries(options: InstallOptions = {}): Promise<BinaryPaths> {
  return resolveAll(options, true);
}

/** Like `installBinaries` but only looks (directory and cache): undefined when something is missing. */
export async function findBinaries(options: InstallOptions = {}): Promise<BinaryPaths | undefined> {
  try {
    return await resolveAll(options, false);
  } catch (error) {
    if (error instanceof InstallError) return undefined;
    throw error;
  }
}

/** One install run: its settings resolved, and the reasons each source was skipped so far. */
interface InstallRun {
  options: InstallOptions;
  home: string;
  env: NodeJS.ProcessEnv;
  emit: InstallListener;
  skip: (component: ComponentName, source: BinarySource, reason: string) => void;
}

async function resolveAll(options: InstallOptions, install: boolean): Promise<BinaryPaths> {
  const env = options.env ?? process.env;
  const home = options.home ?? kubeproofHome(env);
  const emit: InstallListener = options.onEvent ?? (() => {});
  const attempts: InstallError["attempts"] = [];
  const skip = (component: ComponentName, source: BinarySource, reason: string): void => {
    attempts.push({ component, source, reason });
    emit({ type: "source-skipped", component, source, reason });
  };
  const run: InstallRun = { options, home, env, emit, skip };
  const paths: BinaryPaths = {};
  const missing: ComponentName[] = [];

  const binDir = options.binDir ?? env.KUBEPROOF_BIN_DIR;
  const wanted = new Set(options.components ?? baseComponents);
  for (const component of allComponents.filter((c) => wanted.has(c))) {
    const dir = (binDir && (await fromDir(component, binDir, skip))) || (await fromCache(component, home));
    if (dir) {
      emit({ type: "resolved", component, source: dir === binDir ? "dir" : "cache", dir });
      addPaths(paths, component, dir);
    } else {
      missing.push(component);
    }
  }
  if (realNodeComponents.some((c) => wanted.has(c))) {
    await ensureSystemPackages({ env, onEvent: emit, install }).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      throw new InstallError(reason, [{ component: "containerd", source: "dir", reason }]);
    });
  }
  if (missing.length === 0) return paths;
  if (!install) throw new InstallError(`missing: ${missing.join(", ")}`, attempts);

  await mkdir(join(home, "bin"), { recursive: true });
  const lock = await acquireLock(join(home, "bin", ".install.lock"), {
    onWait: (holderPid) => emit({ type: "lock-wait", holderPid }),
    signal: options.signal,
  });
  try {
    for (const component of missing) {
      const dir = await installComponent(component, run);
      if (!dir) throw new InstallError(noSourceMessage(component, attempts), attempts);
      addPaths(paths, component, dir);
    }
  } finally {
    await lock.release();
  }
  return paths;
}

async function installComponent(component: ComponentName, run: InstallRun): Promise<string | undefined> {
  const { options, home, env, emit, skip } = run;
  // Another process may have installed it while we waited for the lock.
  const cached = await fromCache(component, home);
  if (cached) {
    emit({ type: "resolved", component, source: "cache", dir: cached });
    return cached;
  }
  const target = componentCacheDir(component, home);
  const staging = `${target}.partial-${process.pid}`;
  const sources: [BinarySource, boolean, (dir: string) => Promise<void>][] = [
    [
      "download",
      options.download ?? env.KUBEPROOF_NO_DOWNLOAD !== "1",
      (dir) => downloadComponent(component, dir, { env, onEvent: emit }),
    ],
    [
      "build",
      options.build ?? true,
      (dir) => buildComponent(component, dir, { env, onEvent: emit, signal: options.signal }),
    ],
  ];
  for (const [source, enabled, fetchInto] of sources) {
    if (!enabled) {
      skip(component, source, "disabled");
      continue;
    }
    await rm(staging, { recursive: true, force: true });
    try {
      await mkdir(staging, { recursive: true });
      await fetchInto(staging);
      const problem = await checkComponentDir(component, staging);
      if (problem) throw new Error(problem);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      options.signal?.throwIfAborted();
      skip(component, source, errorMessage(error));
      continue;
    }
    await writeFile(join(staging, completeMarker), `${componentVersion(component)}\n`);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    emit({ type: "resolved", component, source, dir: target });
    return target;
  }
  return undefined;
}

async function fromDir(
  component: ComponentName,
  dir: string,
  skip: (component: ComponentName, source: BinarySource, reason: string) => void,
): Promise<string | undefined> {
  const problem = await checkComponentDir(component, dir);
  if (!problem) return dir;
  skip(component, "dir", problem);
  return undefined;
}

async function fromCache(component: ComponentName, home: string): Promise<string | undefined> {
  const dir = componentCacheDir(component, home);
  try {
    await access(join(dir, completeMarker));
    return dir;
  } catch {
    return undefined;
  }
}

function addPaths(paths: BinaryPaths, component: ComponentName, dir: string): void {
  for (const binary of componentBinaries[component]) paths[binary] = join(dir, binary);
}

function noSourceMessage(component: ComponentName, attempts: InstallError["attempts"]): string {
  const lines = attempts.filter((a) => a.component === component).map((a) => `  - ${a.source}: ${a.reason}`);
  return [
    `Could not install ${component} v${componentVersion(component)} (${componentBinaries[component].join(", ")}).`,
    ...lines,
    "To fix: install Go >= 1.26 so kubeproof can build the binaries from Go modules, or put the pinned",
    "binaries in a directory and pass `--bin-dir DIR` (or set KUBEPROOF_BIN_DIR).",
  ].join("\n");
}
