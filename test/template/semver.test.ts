import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareVersions, parseRange, parseVersion, semverCompare } from "../../src/template/semver.ts";

// github.com/blang/semver/v4 semantics, which kyverno-json's semver_compare uses.
describe("semver", () => {
  it("parses strictly", () => {
    assert.deepEqual(parseVersion("1.2.3-beta.1+build.5"), {
      major: 1n,
      minor: 2n,
      patch: 3n,
      pre: ["beta", 1n],
    });
    for (const bad of ["v1.2.3", "1.2", "01.2.3", "1.2.3-01", "1.2.3-"])
      assert.throws(() => parseVersion(bad), bad);
  });

  it("orders prereleases below releases and numeric identifiers below alphanumeric ones", () => {
    const order = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
    ];
    for (let i = 1; i < order.length; i++) {
      assert.equal(
        compareVersions(parseVersion(order[i - 1] ?? ""), parseVersion(order[i] ?? "")),
        -1,
        `${order[i - 1]} < ${order[i]}`,
      );
    }
  });

  it("evaluates ranges with AND, OR, spaces after operators and wildcards", () => {
    const cases: [string, string, boolean][] = [
      ["1.2.3", ">= 1.0.0 < 2.0.0", true],
      ["1.2.3", "1.2.x", true],
      ["1.3.0", "1.2.x", false],
      ["1.9.0", "1.x", true],
      ["2.0.0", "1.x", false],
      ["1.2.3", ">1.2.x", false],
      ["1.3.0", ">1.2.x", true],
      ["1.2.9", "<=1.2.x", true],
      // blang expands `!=1.2.x` into `<1.2.0 >=1.3.0` joined by AND, so it never matches.
      ["1.3.0", "!=1.2.x", false],
      ["1.2.3", "!1.2.3", false],
      ["1.2.3", "==1.2.3", true],
      ["3.0.0", "<2.0.0 || >=3.0.0", true],
    ];
    for (const [version, range, expected] of cases)
      assert.equal(semverCompare(version, range), expected, `${version} ${range}`);
  });

  it("treats an unparsable version as 0.0.0 and rejects bad ranges", () => {
    assert.equal(semverCompare("not-a-version", "<1.0.0"), true);
    assert.throws(() => parseRange(">=abc"));
    assert.throws(() => parseRange("|| 1.0.0"));
  });
});
