import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { anyMatch, globMatcher } from "../../src/gate/glob.ts";

function matches(pattern: string, paths: string[]): string[] {
  const m = globMatcher(pattern);
  return paths.filter((p) => m(p));
}

const PATHS = [
  "README.md",
  "docs/gate.md",
  "docs/img/a.png",
  "src/main.ts",
  "src/gate/local.ts",
  "src/gate/job/run.ts",
  "test/gate/local.test.ts",
  "go.mod",
  "pkg/api/v1/types.go",
  "pkg/api/v1/types_test.go",
];

describe("globMatcher", () => {
  it("`**` spans any number of directories, `*` stays within one", () => {
    assert.deepEqual(matches("src/**", PATHS), ["src/main.ts", "src/gate/local.ts", "src/gate/job/run.ts"]);
    assert.deepEqual(matches("src/*", PATHS), ["src/main.ts"]);
    assert.deepEqual(matches("src/**/*.ts", PATHS), [
      "src/main.ts",
      "src/gate/local.ts",
      "src/gate/job/run.ts",
    ]);
    assert.deepEqual(matches("**/*_test.go", PATHS), ["pkg/api/v1/types_test.go"]);
    assert.deepEqual(matches("pkg/**/types.go", PATHS), ["pkg/api/v1/types.go"]);
  });

  it("a pattern without '/' matches a file name at any depth; a leading '/' anchors it", () => {
    assert.deepEqual(matches("*.md", PATHS), ["README.md", "docs/gate.md"]);
    assert.deepEqual(matches("/*.md", PATHS), ["README.md"]);
    assert.deepEqual(matches("go.mod", PATHS), ["go.mod"]);
  });

  it("supports ?, character classes, alternatives and a trailing '/' for a directory", () => {
    assert.deepEqual(matches("go.mo?", PATHS), ["go.mod"]);
    assert.deepEqual(matches("**/*.{go,mod}", PATHS), [
      "go.mod",
      "pkg/api/v1/types.go",
      "pkg/api/v1/types_test.go",
    ]);
    assert.deepEqual(matches("docs/[!i]*", PATHS), ["docs/gate.md"]);
    assert.deepEqual(matches("docs/", PATHS), ["docs/gate.md", "docs/img/a.png"]);
    assert.deepEqual(matches("src/gate/*.ts", PATHS), ["src/gate/local.ts"]);
  });

  it("treats regular expression characters literally", () => {
    assert.equal(globMatcher("a+b(c).txt")("a+b(c).txt"), true);
    assert.equal(globMatcher("a+b(c).txt")("aab(c)xtxt"), false);
  });

  it("anyMatch: any pattern against any changed path", () => {
    assert.equal(anyMatch(["src/**", "test/**"], ["docs/gate.md", "test/x.ts"]), true);
    assert.equal(anyMatch(["src/**", "test/**"], ["docs/gate.md"]), false);
    assert.equal(anyMatch(["src/**"], []), false);
  });
});
