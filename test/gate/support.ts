import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** A fresh temporary directory for one test. */
export function tempDir(prefix = "kp-gate-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "kubeproof test",
      GIT_AUTHOR_EMAIL: "test@kubeproof.dev",
      GIT_COMMITTER_NAME: "kubeproof test",
      GIT_COMMITTER_EMAIL: "test@kubeproof.dev",
    },
  }).trim();
}

/** A git repository in a temp directory holding `files`, committed once on branch main. */
export function gitRepo(files: Record<string, string>, prefix?: string): string {
  const dir = tempDir(prefix);
  git(dir, "init", "-q", "-b", "main");
  writeFiles(dir, files);
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const abs = join(dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** A fixture project under test/fixtures/gate/repos, copied into a fresh git repository. */
export function fixtureRepo(name: string): string {
  const dir = tempDir(`kp-gate-${name}-`);
  cpSync(fileURLToPath(new URL(`../fixtures/gate/repos/${name}`, import.meta.url)), dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "fixture");
  return dir;
}
