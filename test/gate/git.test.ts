import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { changedFiles, currentBranch, GitError, headCommit, isDirty, repoRoot } from "../../src/gate/git.ts";
import { git, gitRepo, tempDir, writeFiles } from "./support.ts";

describe("git", () => {
  it("changed files: the branch since it left the base, plus staged, unstaged and untracked files", async () => {
    const dir = gitRepo({ "README.md": "x\n", "src/a.ts": "a\n", "src/b.ts": "b\n", "old.txt": "o\n" });
    git(dir, "checkout", "-q", "-b", "feature");
    writeFiles(dir, { "src/a.ts": "a2\n", "docs/new.md": "n\n" });
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "feature");
    // main moves on: its own changes are not the branch's.
    git(dir, "checkout", "-q", "main");
    writeFiles(dir, { "main-only.txt": "m\n" });
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "main");
    git(dir, "checkout", "-q", "feature");
    writeFiles(dir, { "src/b.ts": "b2\n", "untracked dir/file name.txt": "u\n" });
    rmSync(join(dir, "old.txt"));
    writeFileSync(join(dir, ".gitignore"), "ignored.log\n");
    writeFileSync(join(dir, "ignored.log"), "i\n");
    assert.deepEqual(await changedFiles(dir, "main"), [
      ".gitignore",
      "docs/new.md",
      "old.txt",
      "src/a.ts",
      "src/b.ts",
      "untracked dir/file name.txt",
    ]);
    assert.equal(await isDirty(dir), true);
    assert.equal(await currentBranch(dir), "feature");
    assert.match(await headCommit(dir), /^[0-9a-f]{40}$/);
    assert.equal(await repoRoot(join(dir, "src")), dir);
  });

  it("says what is wrong with an unknown or option-like base", async () => {
    const dir = gitRepo({ "a.txt": "a\n" });
    await assert.rejects(
      changedFiles(dir, "no-such-branch"),
      (e: unknown) => e instanceof GitError && /--base no-such-branch: no such commit/.test(e.message),
    );
    await assert.rejects(
      changedFiles(dir, "--output=/tmp/x"),
      (e: unknown) => e instanceof GitError && /not a git revision/.test(e.message),
    );
  });

  it("outside a repository there is no root and no branch", async () => {
    const dir = tempDir();
    assert.equal(await repoRoot(dir), undefined);
    assert.equal(await currentBranch(dir), undefined);
  });
});
