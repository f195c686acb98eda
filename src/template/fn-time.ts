/**
 * Chainsaw's time functions (kyverno-json pkg/jp/kyverno/time.go). Times are RFC 3339 strings,
 * durations Go duration strings; results print like Go (`time.RFC3339`, `Duration.String()`).
 */
import { formatDuration, parseDuration } from "./duration.ts";
import { parseLayout, parseRFC3339 } from "./golayout.ts";
import { addDuration, civil, formatRFC3339, nowTime, truncateTime, type GoTime } from "./gotime.ts";
import type { ArgSpec, JmespathFunction } from "./registry.ts";

const S: ArgSpec = { types: ["string"] };

function str(args: unknown[], i: number): string {
  return args[i] as string;
}

function layoutTime(layout: string, value: string): GoTime {
  return layout === "" ? parseRFC3339(value) : parseLayout(layout, value);
}

export const TIME_FUNCTIONS: [string, JmespathFunction, ArgSpec[]][] = [
  [
    "time_since",
    (args) => {
      const layout = str(args, 0);
      const start = layoutTime(layout, str(args, 1));
      const end = str(args, 2) === "" ? nowTime(false) : layoutTime(layout, str(args, 2));
      return formatDuration(end.ns - start.ns);
    },
    [S, S, S],
  ],
  ["time_now", () => formatRFC3339(nowTime(false)), []],
  ["time_now_utc", () => formatRFC3339(nowTime(true)), []],
  [
    "time_add",
    (args) => formatRFC3339(addDuration(parseRFC3339(str(args, 0)), parseDuration(str(args, 1)))),
    [S, S],
  ],
  ["time_parse", (args) => formatRFC3339(parseLayout(str(args, 0), str(args, 1))), [S, S]],
  ["time_utc", (args) => formatRFC3339({ ns: parseRFC3339(str(args, 0)).ns, offset: 0 }), [S]],
  [
    "time_diff",
    (args) => formatDuration(parseRFC3339(str(args, 1)).ns - parseRFC3339(str(args, 0)).ns),
    [S, S],
  ],
  ["time_before", (args) => parseRFC3339(str(args, 0)).ns < parseRFC3339(str(args, 1)).ns, [S, S]],
  ["time_after", (args) => parseRFC3339(str(args, 0)).ns > parseRFC3339(str(args, 1)).ns, [S, S]],
  [
    "time_between",
    (args) => {
      const t = parseRFC3339(str(args, 0)).ns;
      return t > parseRFC3339(str(args, 1)).ns && t < parseRFC3339(str(args, 2)).ns;
    },
    [S, S, S],
  ],
  [
    "time_truncate",
    (args) => formatRFC3339(truncateTime(parseRFC3339(str(args, 0)), parseDuration(str(args, 1)))),
    [S, S],
  ],
  [
    "time_to_cron",
    (args) => {
      const c = civil(parseRFC3339(str(args, 0)));
      return `${c.minute} ${c.hour} ${c.day} ${c.month} ${c.weekday}`;
    },
    [S],
  ],
];
