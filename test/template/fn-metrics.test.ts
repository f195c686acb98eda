import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeMetrics, plainDecimal } from "../../src/template/fn-metrics.ts";
import { Bindings } from "../../src/template/bindings.ts";
import { evaluate } from "../../src/template/jmespath.ts";

const exposition = [
  "# HELP jobs_total Jobs done.",
  "# TYPE jobs_total counter",
  'jobs_total{queue="slow",zone="b"} 4',
  'jobs_total{queue="fast"} 1e3 1600000000123',
  "up 1",
  "",
  'escaped{path="a\\"b\\\\c\\nd"} NaN',
  "temperature -Inf",
].join("\n");

describe("x_metrics_decode", () => {
  it("decodes samples like Prometheus' model.Vector in JSON, sorted by label set", () => {
    const now = 1_700_000_000_500;
    assert.deepEqual(decodeMetrics(exposition, now), [
      { metric: { __name__: "temperature" }, value: [1_700_000_000.5, "-Inf"] },
      { metric: { __name__: "up" }, value: [1_700_000_000.5, "1"] },
      { metric: { __name__: "escaped", path: 'a"b\\c\nd' }, value: [1_700_000_000.5, "NaN"] },
      { metric: { __name__: "jobs_total", queue: "fast" }, value: [1_600_000_000.123, "1000"] },
      { metric: { __name__: "jobs_total", queue: "slow", zone: "b" }, value: [1_700_000_000.5, "4"] },
    ]);
  });

  it("is callable from expressions", () => {
    const bindings = Bindings.from({ text: 'hits{code="200"} 12\nhits{code="500"} 0' });
    assert.deepEqual(evaluate("x_metrics_decode($text)[?metric.code == '500'].value[1]", null, bindings), [
      "0",
    ]);
  });

  it("names the line of a malformed exposition", () => {
    assert.throws(() => decodeMetrics("ok 1\nbroken{a=1} 2"), /line 2: expected '="' after label name a/);
    assert.throws(() => decodeMetrics("ok one"), /line 1: invalid value "one"/);
  });

  it("prints values like Go's strconv.FormatFloat(f, 'f', -1, 64)", () => {
    assert.equal(plainDecimal(1e21), "1000000000000000000000");
    assert.equal(plainDecimal(-2.5e-7), "-0.00000025");
    assert.equal(plainDecimal(3.14), "3.14");
  });
});
