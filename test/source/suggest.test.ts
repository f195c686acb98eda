import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { didYouMean, editDistance } from "../../src/source/suggest.ts";

describe("editDistance", () => {
  it("counts insertions, deletions and substitutions", () => {
    assert.equal(editDistance("fle", "file"), 1);
    assert.equal(editDistance("file", "file"), 0);
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
  });
});

describe("didYouMean", () => {
  const keys = ["file", "resource", "template", "timeout", "dryRun", "expect"];
  it("suggests the closest key for a typo", () => {
    assert.equal(didYouMean("fle", keys), "file");
    assert.equal(didYouMean("resouce", keys), "resource");
    assert.equal(didYouMean("timout", keys), "timeout");
  });
  it("ignores case differences", () => {
    assert.equal(didYouMean("dryrun", keys), "dryRun");
  });
  it("stays quiet when nothing is close", () => {
    assert.equal(didYouMean("zzz", keys), undefined);
    assert.equal(didYouMean("bindings", keys), undefined);
  });
});
