import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DURATION_PATTERN, formatDuration, parseDuration } from "../../src/source/duration.ts";

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
    assert.equal(formatDuration(1.5), "1.5ms");
    assert.equal(formatDuration(-1500), "-1.5s");
  });

  it("prints what parseDuration reads back", () => {
    for (const ms of [500, 1500, 30_000, 90_000, 3_600_000, 3_605_000])
      assert.equal(parseDuration(formatDuration(ms)), ms);
  });

  it("keeps one decimal of a measured time, as reports show it", () => {
    const timing = (ms: number): string => formatDuration(ms, { decimals: 1 });
    assert.deepEqual([0, 850.4, 999.6, 1000, 1234, 59_949, 59_960, 90_000, 90_449, 3_600_000].map(timing), [
      "0s",
      "850ms",
      "1s",
      "1s",
      "1.2s",
      "59.9s",
      "1m",
      "1m30s",
      "1m30.4s",
      "1h",
    ]);
  });

  it("rounds elapsed times to whole seconds", () => {
    const elapsed = (ms: number): string => formatDuration(ms, { decimals: 0 });
    assert.deepEqual([400, 600, 1499, 1500, 65_000, 125_400].map(elapsed), [
      "0s",
      "1s",
      "1s",
      "2s",
      "1m5s",
      "2m5s",
    ]);
  });
});
