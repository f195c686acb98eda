import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DURATION_PATTERN, formatDuration, parseDuration } from "../../src/config/duration.ts";

describe("parseDuration", () => {
  const valid: [string, number][] = [
    ["5s", 5000],
    ["1m30s", 90_000],
    ["500ms", 500],
    ["1h", 3_600_000],
    ["1.5s", 1500],
    ["1.1s", 1100],
    [".5s", 500],
    ["2h45m", 9_900_000],
    ["0", 0],
    ["0s", 0],
    ["+3s", 3000],
    ["1500us", 1.5],
    ["1000000ns", 1],
    ["1µs", 0.001],
  ];
  for (const [text, ms] of valid) {
    it(`reads ${text} as ${ms} ms`, () => {
      assert.equal(parseDuration(text), ms);
      assert.match(text, new RegExp(DURATION_PATTERN));
    });
  }

  for (const text of ["", "5", "30", "5 s", "5sec", "-5s", "1d", "s", "1m 30s", "abc", "+"]) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseDuration(text), undefined);
      assert.doesNotMatch(text, new RegExp(DURATION_PATTERN));
    });
  }
});

describe("formatDuration", () => {
  it("prints Go-style durations", () => {
    assert.equal(formatDuration(0), "0s");
    assert.equal(formatDuration(500), "500ms");
    assert.equal(formatDuration(5000), "5s");
    assert.equal(formatDuration(90_000), "1m30s");
    assert.equal(formatDuration(3_600_000), "1h");
    assert.equal(formatDuration(3_605_000), "1h0m5s");
  });
});
