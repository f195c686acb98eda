import { open, readdir, readFile, realpath, stat, writeFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { runSystemCommand } from "../../command.ts";
import { busyboxImage } from "./images.ts";
import type { ImageSpec, LayerEntry } from "./oci.ts";
import { ociArchive } from "./oci.ts";

/**
 * Images built from this machine's own programs, with no registry and no container tool: the
 * built-in busybox (a shell and the usual tools) plus host files at the paths an image needs them,
 * each ELF file with the shared libraries `ldd` names, at the paths it names (the loader at
 * /lib64/..., the ELF interpreter path). The git image (git-image.ts) and the stand-ins for the
 * images upstream suites name (bench/vk-stand-ins.ts) are such recipes.
 */

export interface HostImageRecipe {
  /** Every name the image is imported under, fully qualified (`docker.io/library/python:alpine`). */
  refs: readonly string[];
  /** Host files (programs, data) as `[path in the image, host path]`; symbolic links are followed. */
  files?: readonly (readonly [string, string])[];
  /** Host directories copied whole as `[path in the image, host directory]`, less what `skip` names. */
  trees?: readonly { path: string; host: string; skip?: (relative: string) => boolean }[];
  /** Symbolic links as `[path in the image, target]`. */
  links?: readonly (readonly [string, string])[];
  /** Start from the built-in busybox image's files (default), or from nothing. */
  busybox?: boolean;
  entrypoint?: readonly string[];
  cmd?: readonly string[];
  env?: readonly string[];
}

/** The shared objects `ldd` resolves for a binary, the dynamic loader included. */
export function parseLdd(output: string): string[] {
  const paths: string[] = [];
  for (const line of output.split("\n")) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (match?.[1] !== undefined) paths.push(match[1]);
  }
  return paths;
}

/** Directories for every file path, parents first, each once. */
function parentDirs(paths: readonly string[]): LayerEntry[] {
  const dirs = new Set<string>();
  for (const path of paths) {
    const parts = posix.dirname(path).split("/");
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join("/");
      if (dir !== "" && dir !== ".") dirs.add(dir);
    }
  }
  return [...dirs].sort().map((path): LayerEntry => ({ type: "dir", path }));
}

async function isElf(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } finally {
    await handle.close();
  }
}

/** The libraries an ELF file needs (none for a static one, or for a file that is not ELF). */
async function librariesOf(host: string): Promise<string[]> {
  if (!(await isElf(host))) return [];
  const ldd = await runSystemCommand("ldd", [host], { allowFailure: true });
  return parseLdd(ldd.stdout);
}

/** Every regular file under `dir`, as paths relative to it, less what `skip` names (dirs included). */
async function walk(dir: string, skip: (relative: string) => boolean, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (skip(relative)) continue;
    if (entry.isDirectory()) out.push(...(await walk(dir, skip, relative)));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

/** The recipe's image: its files, their libraries, the directories they need, and its links. */
export async function hostImageSpec(recipe: HostImageRecipe): Promise<ImageSpec> {
  const files: [string, string][] = (recipe.files ?? []).map(([path, host]) => [path, host]);
  for (const tree of recipe.trees ?? [])
    for (const relative of await walk(tree.host, tree.skip ?? (() => false)))
      files.push([`${tree.path}/${relative}`, join(tree.host, relative)]);
  const resolved = await Promise.all(
    files.map(async ([path, host]): Promise<[string, string]> => [path, await realpath(host)]),
  );
  const libraries = new Set<string>();
  for (const [, host] of resolved) for (const library of await librariesOf(host)) libraries.add(library);
  const own = new Set(resolved.map(([path]) => path));
  for (const library of libraries)
    if (!own.has(library.slice(1))) resolved.push([library.slice(1), await realpath(library)]);
  const fileEntries = await Promise.all(
    resolved.map(async ([path, host]): Promise<LayerEntry> => {
      const [content, info] = await Promise.all([readFile(host), stat(host)]);
      return { type: "file", path, content, mode: info.mode & 0o777 };
    }),
  );
  const links = (recipe.links ?? []).map(([path, target]): LayerEntry => ({ type: "symlink", path, target }));
  const base = recipe.busybox === false ? [] : (await busyboxImage()).entries;
  // A recipe's own file or link replaces busybox's applet of that name (a real bash over busybox's).
  const replaced = new Set([...fileEntries, ...links].map((e) => e.path));
  const kept = base.filter((e) => !replaced.has(e.path));
  const dirs = parentDirs([...replaced]).filter(
    (dir) => !kept.some((e) => e.type === "dir" && e.path === dir.path),
  );
  return {
    refs: recipe.refs,
    entries: [...kept, ...dirs, ...fileEntries, ...links],
    ...(recipe.entrypoint ? { entrypoint: recipe.entrypoint } : {}),
    ...(recipe.cmd ? { cmd: recipe.cmd } : {}),
    ...(recipe.env ? { env: recipe.env } : {}),
  };
}

/** Writes the recipes' images as one OCI archive for `kubeproof cluster load`. */
export async function writeHostImages(file: string, recipes: readonly HostImageRecipe[]): Promise<void> {
  const specs: ImageSpec[] = [];
  for (const recipe of recipes) specs.push(await hostImageSpec(recipe));
  await writeFile(file, ociArchive(specs));
}
