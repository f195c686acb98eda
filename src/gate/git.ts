import { commandFailure, runCommand } from "../process/index.ts";

/**
 * What the gate needs from git: the repository root, the commit the Job tier checks out, and the
 * files that changed against `--base` (for `paths`). git runs with arguments, never through a shell.
 */

export class GitError extends Error {
  override name = "GitError";
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
  const result = await runCommand({ command: "git", args, cwd, env });
  const failure = commandFailure(result);
  if (failure !== undefined) throw new GitError(`git ${args.join(" ")}: ${failure}`);
  return result.stdout;
}

/** The top of the work tree containing `dir`, or undefined outside a git repository. */
export async function repoRoot(dir: string): Promise<string | undefined> {
  try {
    return (await git(dir, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return undefined;
  }
}

export async function headCommit(root: string): Promise<string> {
  return (await git(root, ["rev-parse", "--verify", "HEAD^{commit}"])).trim();
}

/** The checked-out branch, or undefined on a detached HEAD. */
export async function currentBranch(root: string): Promise<string | undefined> {
  try {
    const name = (await git(root, ["symbolic-ref", "--quiet", "--short", "HEAD"])).trim();
    return name === "" ? undefined : name;
  } catch {
    return undefined;
  }
}

export async function remoteUrl(root: string, remote = "origin"): Promise<string | undefined> {
  try {
    const url = (await git(root, ["remote", "get-url", remote])).trim();
    return url === "" ? undefined : url;
  } catch {
    return undefined;
  }
}

/** Whether the work tree differs from HEAD (staged, unstaged or untracked files). */
export async function isDirty(root: string): Promise<boolean> {
  return (await git(root, ["status", "--porcelain", "-z"])).length > 0;
}

/** Checks that `ref` names a commit, with a message that says what to pass instead. */
export async function verifyRef(root: string, ref: string): Promise<void> {
  if (ref.startsWith("-")) throw new GitError(`--base ${ref}: not a git revision`);
  try {
    await git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  } catch {
    throw new GitError(
      `--base ${ref}: no such commit in ${root} (fetch it, or pass a branch, tag or SHA that exists)`,
    );
  }
}

function splitZ(text: string): string[] {
  return text.split("\0").filter((p) => p !== "");
}

/**
 * Files changed on this branch since it left `base` (`base...HEAD`, as a pull request shows them),
 * plus what is not committed yet: staged, unstaged and untracked files, since the local tier runs
 * on the work tree as it is. Repository-relative, '/'-separated, sorted.
 */
export async function changedFiles(root: string, base: string): Promise<string[]> {
  await verifyRef(root, base);
  const [committed, uncommitted, untracked] = await Promise.all([
    git(root, ["diff", "--name-only", "-z", "--no-renames", `${base}...HEAD`, "--"]),
    git(root, ["diff", "--name-only", "-z", "--no-renames", "HEAD", "--"]),
    git(root, ["ls-files", "--others", "--exclude-standard", "-z"]),
  ]);
  return [...new Set([...splitZ(committed), ...splitZ(uncommitted), ...splitZ(untracked)])].sort();
}
