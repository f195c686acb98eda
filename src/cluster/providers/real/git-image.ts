import { readFile, realpath, writeFile } from "node:fs/promises";
import { posix } from "node:path";
import { runSystemCommand } from "../../command.ts";
import { busyboxImage } from "./images.ts";
import type { ImageSpec, LayerEntry } from "./oci.ts";
import { ociArchive } from "./oci.ts";

/**
 * A git image for the real node, built from this machine's git with no registry and no container
 * tool: the built-in busybox (a shell and the tools the gate's Job scripts use: mkfifo, tee, setsid,
 * httpd...) plus git, its http(s) transport and `git http-backend`, with the shared libraries `ldd`
 * names at the paths it names. It is what the gate's Job tier needs on the local node (a shell and
 * git), and it can serve a repository too (busybox httpd running `git http-backend` as CGI). Not a
 * built-in image: git and its libraries are ~20 MB, which every node start would pay for.
 */

export const gitImage = "kubeproof.local/git:1";

/** The git programs the image holds, relative to git's exec path (`git --exec-path`). */
const GIT_CORE_FILES = ["git-remote-http", "git-http-backend"];
/** Names git runs its builtins and transports by, as links. */
const GIT_CORE_LINKS: Record<string, string> = {
  git: "../../bin/git",
  "git-remote-https": "git-remote-http",
  "git-upload-pack": "../../bin/git",
  "git-receive-pack": "../../bin/git",
};

/** The shared objects `ldd` resolves for `binary`, the dynamic loader included. */
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

/** The image's spec from the git on this machine (`git` on PATH); throws when there is none. */
export async function gitImageSpec(): Promise<ImageSpec> {
  const execPath = (await runSystemCommand("git", ["--exec-path"])).stdout.trim();
  const gitBinary = await realpath(`${execPath}/git`);
  const programs: [string, string][] = [
    ["usr/bin/git", gitBinary],
    ...GIT_CORE_FILES.map((name): [string, string] => [`usr/lib/git-core/${name}`, `${execPath}/${name}`]),
  ];
  const libraries = new Set<string>();
  for (const [, host] of programs) {
    const ldd = await runSystemCommand("ldd", [host]);
    for (const library of parseLdd(ldd.stdout)) libraries.add(library);
  }
  // Every library at the path ldd printed (the loader at /lib64/..., the ELF interpreter path).
  const files: [string, string][] = [
    ...programs,
    ...[...libraries].map((l): [string, string] => [l.slice(1), l]),
  ];
  const fileEntries = await Promise.all(
    files.map(async ([path, host]): Promise<LayerEntry> => ({
      type: "file",
      path,
      content: await readFile(host),
      mode: 0o755,
    })),
  );
  const busybox = await busyboxImage();
  const links = Object.entries(GIT_CORE_LINKS).map(([name, target]): LayerEntry => ({
    type: "symlink",
    path: `usr/lib/git-core/${name}`,
    target,
  }));
  const ownDirs = parentDirs([...files.map(([path]) => path), "usr/lib/git-core/git"]).filter(
    (dir) => !busybox.entries.some((e) => e.type === "dir" && e.path === dir.path),
  );
  return {
    refs: [gitImage],
    entries: [...busybox.entries, ...ownDirs, ...fileEntries, ...links],
    cmd: ["sh"],
  };
}

/** Writes the git image as an OCI archive for `kubeproof cluster load`. */
export async function writeGitImage(file: string): Promise<void> {
  await writeFile(file, ociArchive([await gitImageSpec()]));
}
