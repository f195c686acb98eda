import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Bindings } from "../../src/template/bindings.ts";
import { parseLayout, parseRFC3339 } from "../../src/template/golayout.ts";
import { formatRFC3339 } from "../../src/template/gotime.ts";
import { evaluate } from "../../src/template/jmespath.ts";

const run = (expression: string): unknown => evaluate(expression, null, Bindings.empty());

describe("time functions", () => {
  const cases: [string, unknown][] = [
    ["time_add('2021-01-02T15:04:05Z', '1h')", "2021-01-02T16:04:05Z"],
    ["time_add('2021-01-02T15:04:05+02:00', '-30m')", "2021-01-02T14:34:05+02:00"],
    ["time_parse('2006-01-02', '2021-01-02')", "2021-01-02T00:00:00Z"],
    ["time_parse('Mon Jan _2 15:04:05 2006', 'Sat Jan  2 15:04:05 2021')", "2021-01-02T15:04:05Z"],
    ["time_parse('02 Jan 06 15:04 -0700', '02 Jan 21 15:04 +0100')", "2021-01-02T15:04:00+01:00"],
    ["time_parse('3:04PM', '3:04PM')", "0000-01-01T15:04:00Z"],
    ["time_parse('2006-01-02T15:04:05.000Z07:00', '2021-01-02T15:04:05.123Z')", "2021-01-02T15:04:05Z"],
    ["time_utc('2021-01-02T15:04:05+02:00')", "2021-01-02T13:04:05Z"],
    ["time_diff('2021-01-02T15:04:05Z', '2021-01-02T16:04:05+01:00')", "0s"],
    ["time_diff('2021-01-02T15:04:05Z', '2021-01-02T16:34:05Z')", "1h30m0s"],
    ["time_diff('2021-01-02T16:04:05Z', '2021-01-02T15:04:05Z')", "-1h0m0s"],
    ["time_before('2021-01-02T15:04:05Z', '2021-01-02T15:04:06Z')", true],
    ["time_after('2021-01-02T15:04:05Z', '2021-01-02T15:04:06Z')", false],
    ["time_between('2021-01-02T15:04:05Z', '2021-01-01T00:00:00Z', '2021-01-03T00:00:00Z')", true],
    ["time_between('2021-01-01T00:00:00Z', '2021-01-01T00:00:00Z', '2021-01-03T00:00:00Z')", false],
    ["time_truncate('2021-01-02T15:04:05Z', '1h')", "2021-01-02T15:00:00Z"],
    ["time_truncate('2021-01-02T15:04:05+05:30', '1h')", "2021-01-02T14:30:00+05:30"],
    ["time_to_cron('2021-03-04T05:06:07Z')", "6 5 4 3 4"],
    ["time_since('', '2021-01-02T15:04:05Z', '2021-01-02T15:05:05Z')", "1m0s"],
    ["time_since('2006-01-02', '2021-01-01', '2021-01-02')", "24h0m0s"],
  ];
  for (const [expression, expected] of cases) {
    it(`${expression} = ${JSON.stringify(expected)}`, () => assert.deepEqual(run(expression), expected));
  }

  it("time_now and time_now_utc print RFC 3339", () => {
    assert.match(run("time_now_utc()") as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(run("time_now()") as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
    const since = run("time_since('', time_now_utc(), '')") as string;
    assert.match(since, /^(\d+(\.\d+)?(ms|\u00b5s|ns|s))$|^0s$/);
  });

  for (const expression of [
    "time_add('2021-01-02', '1h')",
    "time_add('2021-01-02T15:04:05Z', '1d')",
    "time_parse('2006-01-02', '2021-02-30')",
    "time_parse('2006-01-02', '2021-01-02 extra')",
    "time_utc('yesterday')",
  ]) {
    it(`${expression} fails`, () => assert.throws(() => run(expression)));
  }
});

describe("Go time parsing", () => {
  it("round-trips RFC 3339 with offsets and drops fractional seconds when printing", () => {
    assert.equal(
      formatRFC3339(parseRFC3339("2024-02-29T23:59:59.999999999-07:00")),
      "2024-02-29T23:59:59-07:00",
    );
    assert.equal(parseRFC3339("1970-01-01T00:00:01Z").ns, 1_000_000_000n);
  });

  it("parses month and weekday names and 12-hour clocks", () => {
    const t = parseLayout("Monday, January 2, 2006 3:04 PM", "Friday, March 15, 2024 12:30 AM");
    assert.equal(formatRFC3339(t), "2024-03-15T00:30:00Z");
  });
});
