import { lstat, readdir, readFile, readlink, realpath } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runSystemCommand } from "../command.ts";
import type { BinaryPaths } from "../install/index.ts";
import { busyboxBinary } from "../providers/real/images.ts";
import type { ImageEntry } from "./write.ts";

/**
 * What kubeproof's own image holds, gathered from this machine with no container tool: busybox for
 * the shell and the tools the gate's scripts use, bash, git (with its https helper), node, kubeproof
 * (dist and production node_modules), and the kwok-only cluster's binaries. Dynamically linked
 * programs bring the shared libraries `ldd` names, at the same paths.
 */

export const IMAGE_ROOT = "opt/kubeproof";
/** The binaries in the image, flat: the image's `KUBEPROOF_BIN_DIR`. */
export const IMAGE_BINARIES = `/${IMAGE_ROOT}/binaries`;
export const IMAGE_USER = { uid: 1000, name: "kubeproof", home: "/home/kubeproof" } as const;

/** Host programs the image copies; each is found on this machine. */
export interface HostPrograms {
  node: string;
  bash: string;
  git: string;
  /** `git --exec-path`: git-remote-http lives there. */
  gitExecPath: string;
}

/** Entries in order, every directory before what it holds. */
class Entries {
  readonly list: ImageEntry[] = [];
  private readonly dirs = new Set<string>([""]);

  dir(path: string, mode = 0o755): void {
    if (this.dirs.has(path)) return;
    this.parents(path);
    this.dirs.add(path);
    this.list.push({ type: "dir", path, mode });
  }

  add(entry: ImageEntry): void {
    this.parents(entry.path);
    this.list.push(entry);
  }

  private parents(path: string): void {
    const parent = dirname(path);
    if (parent !== "." && parent !== "/") this.dir(parent);
  }
}

/** Shared libraries of a dynamically linked program, by the path the loader looks them up at. */
async function sharedLibraries(program: string): Promise<string[]> {
  const result = await runSystemCommand("ldd", [program], { allowFailure: true });
  if (/not a dynamic executable|statically linked/.test(result.stdout + result.stderr)) return [];
  const libs: string[] = [];
  for (const line of result.stdout.split("\n")) {
    if (line.includes("not found"))
      throw new Error(`${program} needs a library this machine lacks: ${line.trim()}`);
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (match?.[1]) libs.push(match[1]);
  }
  return libs;
}

/** Copies a host directory tree into the image, skipping what `skip` names (by entry name). */
async function copyTree(
  out: Entries,
  from: string,
  to: string,
  skip: (name: string, isDir: boolean) => boolean,
): Promise<void> {
  out.dir(to);
  for (const item of (await readdir(from, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (skip(item.name, item.isDirectory())) continue;
    const source = join(from, item.name);
    const path = `${to}/${item.name}`;
    const info = await lstat(source);
    if (info.isSymbolicLink()) out.add({ type: "symlink", path, target: await readlink(source) });
    else if (info.isDirectory()) await copyTree(out, source, path, skip);
    else if (info.isFile()) out.add({ type: "file", path, mode: info.mode & 0o755, source });
  }
}

/** The production dependencies' folders, from package-lock.json (entries not marked `dev`). */
async function productionPackages(projectRoot: string): Promise<string[]> {
  const lock = JSON.parse(await readFile(join(projectRoot, "package-lock.json"), "utf8")) as {
    packages?: Record<string, { dev?: boolean; link?: boolean }>;
  };
  return Object.entries(lock.packages ?? {})
    .filter(([path, pkg]) => path.startsWith("node_modules/") && pkg.dev !== true && pkg.link !== true)
    .map(([path]) => path);
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/** Declarations and source maps are for editors and debuggers, not for running (a third of the client). */
const typesOrMaps = /\.(d\.[cm]?ts|map)$/;

/** The project: package.json, bin, dist (JavaScript only), assets and production node_modules. */
async function addProject(out: Entries, projectRoot: string): Promise<void> {
  if (!(await exists(join(projectRoot, "dist", "cli", "bin.js"))))
    throw new Error(`${projectRoot}/dist is not built; run \`npm run build\` first`);
  out.add({
    type: "file",
    path: `${IMAGE_ROOT}/package.json`,
    mode: 0o644,
    source: join(projectRoot, "package.json"),
  });
  await copyTree(out, join(projectRoot, "bin"), `${IMAGE_ROOT}/bin`, () => false);
  await copyTree(out, join(projectRoot, "assets"), `${IMAGE_ROOT}/assets`, () => false);
  await copyTree(
    out,
    join(projectRoot, "dist"),
    `${IMAGE_ROOT}/dist`,
    (name, isDir) => !isDir && typesOrMaps.test(name),
  );
  for (const pkg of await productionPackages(projectRoot)) {
    const source = join(projectRoot, pkg);
    // Optional packages for other platforms are listed but not installed.
    if (!(await exists(source))) continue;
    // Nested node_modules folders are packages of their own in the lock file.
    await copyTree(out, source, `${IMAGE_ROOT}/${pkg}`, (name, isDir) =>
      isDir ? name === "node_modules" : typesOrMaps.test(name),
    );
  }
  out.add({ type: "symlink", path: "usr/local/bin/kubeproof", target: `/${IMAGE_ROOT}/bin/kubeproof.js` });
}

async function addPrograms(out: Entries, programs: HostPrograms): Promise<void> {
  const busybox = await readFile(busyboxBinary);
  out.dir("bin");
  out.add({ type: "file", path: "bin/busybox", mode: 0o755, content: busybox });
  const applets = (await runSystemCommand(busyboxBinary, ["--list"])).stdout
    .split("\n")
    .filter((a) => /^[\w.[-]+$/.test(a) && a !== "busybox" && a !== "bash");
  for (const applet of applets) out.add({ type: "symlink", path: `bin/${applet}`, target: "busybox" });
  // `#!/usr/bin/env node` scripts (npm's bins) need env where that line says.
  out.add({ type: "symlink", path: "usr/bin/env", target: "/bin/busybox" });
  out.add({ type: "file", path: "bin/bash", mode: 0o755, source: programs.bash });
  out.add({ type: "file", path: "usr/bin/node", mode: 0o755, source: programs.node });
  out.add({ type: "file", path: "usr/bin/git", mode: 0o755, source: programs.git });
  const execPath = programs.gitExecPath.replace(/^\//, "");
  // git runs its builtins as `git <cmd>` from its exec path, and https fetches through git-remote-http.
  out.add({ type: "symlink", path: `${execPath}/git`, target: "/usr/bin/git" });
  const remoteHttp = join(programs.gitExecPath, "git-remote-http");
  out.add({ type: "file", path: `${execPath}/git-remote-http`, mode: 0o755, source: remoteHttp });
  out.add({ type: "symlink", path: `${execPath}/git-remote-https`, target: "git-remote-http" });
  const templates = "/usr/share/git-core/templates";
  if (await exists(templates)) await copyTree(out, templates, templates.slice(1), () => false);

  const libraries = new Set<string>();
  for (const program of [programs.bash, programs.node, programs.git, remoteHttp])
    for (const lib of await sharedLibraries(program)) libraries.add(lib);
  for (const lib of [...libraries].sort())
    out.add({ type: "file", path: lib.slice(1), mode: 0o755, source: await realpath(lib) });
}

async function addSystem(out: Entries): Promise<void> {
  const { uid, name, home } = IMAGE_USER;
  out.dir("tmp", 0o1777);
  // Any user id the pod runs as can write there (the image cannot know it).
  out.dir(home.slice(1), 0o1777);
  const passwd = `root:x:0:0:root:/root:/bin/sh\n${name}:x:${uid}:${uid}:${name}:${home}:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n`;
  out.add({ type: "file", path: "etc/passwd", mode: 0o644, content: Buffer.from(passwd) });
  const group = `root:x:0:\n${name}:x:${uid}:\nnogroup:x:65534:\n`;
  out.add({ type: "file", path: "etc/group", mode: 0o644, content: Buffer.from(group) });
  const certificates = "/etc/ssl/certs/ca-certificates.crt";
  if (await exists(certificates))
    out.add({ type: "file", path: certificates.slice(1), mode: 0o644, source: await realpath(certificates) });
}

/** Every entry of the image's one layer. */
export async function imageEntries(input: {
  projectRoot: string;
  programs: HostPrograms;
  binaries: BinaryPaths;
}): Promise<ImageEntry[]> {
  const out = new Entries();
  await addSystem(out);
  await addPrograms(out, input.programs);
  await addProject(out, input.projectRoot);
  for (const [name, path] of Object.entries(input.binaries).sort(([a], [b]) => a.localeCompare(b)))
    out.add({
      type: "file",
      path: `${IMAGE_BINARIES.slice(1)}/${name}`,
      mode: 0o755,
      source: await realpath(path),
    });
  // Checks and Chainsaw scripts call kubectl by name.
  out.add({ type: "symlink", path: "usr/local/bin/kubectl", target: `${IMAGE_BINARIES}/kubectl` });
  return out.list;
}
