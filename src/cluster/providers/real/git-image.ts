import { realpath } from "node:fs/promises";
import { runSystemCommand } from "../../command.ts";
import { writeHostImages, type HostImageRecipe } from "./host-image.ts";

/**
 * A git image for the real node, built from this machine's git (host-image.ts): the built-in busybox
 * (a shell and the tools the gate's Job scripts use: mkfifo, tee, setsid, httpd...) plus git, its
 * http(s) transport and `git http-backend`, with their shared libraries. It is what the gate's Job
 * tier needs on the local node (a shell and git), and it can serve a repository too (busybox httpd
 * running `git http-backend` as CGI). Not a built-in image: git and its libraries are ~20 MB, which
 * every node start would pay for.
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

/** The recipe of a git image under `refs`, from the git on this machine (`git` on PATH). */
export async function gitImageRecipe(refs: readonly string[] = [gitImage]): Promise<HostImageRecipe> {
  const execPath = (await runSystemCommand("git", ["--exec-path"])).stdout.trim();
  return {
    refs,
    files: [
      ["usr/bin/git", await realpath(`${execPath}/git`)],
      ...GIT_CORE_FILES.map((name): [string, string] => [`usr/lib/git-core/${name}`, `${execPath}/${name}`]),
    ],
    links: Object.entries(GIT_CORE_LINKS).map(([name, target]): [string, string] => [
      `usr/lib/git-core/${name}`,
      target,
    ]),
    cmd: ["sh"],
  };
}

/** Writes the git image as an OCI archive for `kubeproof cluster load`; throws when this machine has no git. */
export async function writeGitImage(file: string): Promise<void> {
  await writeHostImages(file, [await gitImageRecipe()]);
}
