import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cloneUrlFromRemote, isCommitSha, isRepoUrl, isSafeBranch } from "../../../src/gate/job/validate.ts";

describe("allow-lists for values that reach the Job", () => {
  it("repository URLs: http(s), no credentials, query, fragment or option-like segments", () => {
    for (const ok of [
      "https://github.com/example/app.git",
      "https://gitlab.example.com:8443/group/sub/app",
      "http://git-mirror.ci.svc/app.git",
      "https://example.com/a/b/",
    ])
      assert.equal(isRepoUrl(ok), true, ok);
    for (const bad of [
      "https://user:token@github.com/example/app.git",
      "https://github.com/example/app.git?x=1",
      "https://github.com/example/app.git#main",
      "ssh://git@github.com/example/app.git",
      "git@github.com:example/app.git",
      "file:///etc/passwd",
      "ext::sh -c touch% /tmp/pwned",
      "--upload-pack=touch /tmp/x",
      "https://github.com/-uhoh/app",
      "https://github.com/../app",
      "https://github.com/a b",
      "https://github.com",
      "https://github.com/a\n/b",
      "https://github.com/$(id)",
    ])
      assert.equal(isRepoUrl(bad), false, bad);
  });

  it("commit SHAs: exactly 40 lowercase hex digits", () => {
    assert.equal(isCommitSha("0123456789abcdef0123456789abcdef01234567"), true);
    assert.equal(isCommitSha("0123456789ABCDEF0123456789abcdef01234567"), false);
    assert.equal(isCommitSha("0123456"), false);
    assert.equal(isCommitSha("0123456789abcdef0123456789abcdef01234567\n"), false);
    assert.equal(isCommitSha("HEAD"), false);
  });

  it("branch names: a safe subset of what git allows", () => {
    for (const ok of ["main", "feature/gate-tier", "release-1.2", "user/fix_x"])
      assert.equal(isSafeBranch(ok), true, ok);
    for (const bad of ["-x", "a..b", "a//b", "a/", "a.lock", "a.", "a b", "a;b", "$(id)", "a`b`", "ü", ""])
      assert.equal(isSafeBranch(bad), false, bad);
  });

  it("turns the origin remote into an https clone URL, refusing credentials", () => {
    assert.equal(cloneUrlFromRemote("git@github.com:example/app.git"), "https://github.com/example/app.git");
    assert.equal(
      cloneUrlFromRemote("ssh://git@github.com:22/example/app.git"),
      "https://github.com/example/app.git",
    );
    assert.equal(
      cloneUrlFromRemote("https://github.com/example/app.git\n"),
      "https://github.com/example/app.git",
    );
    assert.equal(cloneUrlFromRemote("https://x:token@github.com/example/app.git"), undefined);
    assert.equal(cloneUrlFromRemote("/srv/git/app.git"), undefined);
  });
});
