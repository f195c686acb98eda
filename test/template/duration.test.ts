import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DurationError, formatDuration, parseDuration } from "../../src/template/duration.ts";

// Values as Go's time.ParseDuration and Duration.String produce them.
describe("parseDuration", () => {
  const cases: [string, bigint][] = [
    ["0", 0n],
    ["1s", 1_000_000_000n],
    ["1.5s", 1_500_000_000n],
    ["1h30m", 5_400_000_000_000n],
    ["-1m", -60_000_000_000n],
    ["+2ms", 2_000_000n],
    ["1us", 1_000n],
    ["1\u00b5s", 1_000n],
    ["1\u03bcs", 1_000n],
    ["100ns", 100n],
    [".5h", 1_800_000_000_000n],
    ["1.h", 3_600_000_000_000n],
  ];
  for (const [input, ns] of cases) {
    it(`${input} = ${ns}ns`, () => assert.equal(parseDuration(input), ns));
  }

  it("rejects invalid durations with Go's messages", () => {
    assert.throws(() => parseDuration(""), /invalid duration/);
    assert.throws(() => parseDuration("1"), /missing unit/);
    assert.throws(() => parseDuration("1d"), /unknown unit "d"/);
    assert.throws(() => parseDuration(".s"), DurationError);
    assert.throws(() => parseDuration("9999999999h"), /invalid duration/);
  });
});

describe("formatDuration", () => {
  const cases: [bigint, string][] = [
    [0n, "0s"],
    [1n, "1ns"],
    [1_500n, "1.5\u00b5s"],
    [1_500_000n, "1.5ms"],
    [1_000_000_000n, "1s"],
    [60_000_000_000n, "1m0s"],
    [5_400_000_000_000n, "1h30m0s"],
    [90_500_000_000n, "1m30.5s"],
    [-1_000_000_000n, "-1s"],
    [72n * 3_600_000_000_000n + 3n * 60_000_000_000n + 500_000_000n, "72h3m0.5s"],
  ];
  for (const [ns, text] of cases) {
    it(`${ns}ns prints ${text}`, () => assert.equal(formatDuration(ns), text));
  }
});
