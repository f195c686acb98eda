/**
 * Go reference-layout parsing (time.Parse), for Chainsaw's `time_parse` and `time_since`, which take
 * a Go layout such as `2006-01-02 15:04:05 -0700` or `Mon Jan _2 15:04:05 2006`.
 */
import { fromCivil, RFC3339, TimeError, type GoTime } from "./gotime.ts";

const LONG_MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function parseRFC3339(value: string): GoTime {
  return parseLayout(RFC3339, value);
}

type Std =
  | "LongMonth"
  | "Month"
  | "NumMonth"
  | "ZeroMonth"
  | "LongWeekDay"
  | "WeekDay"
  | "Day"
  | "UnderDay"
  | "ZeroDay"
  | "UnderYearDay"
  | "ZeroYearDay"
  | "Hour"
  | "Hour12"
  | "ZeroHour12"
  | "Minute"
  | "ZeroMinute"
  | "Second"
  | "ZeroSecond"
  | "LongYear"
  | "Year"
  | "PM"
  | "pm"
  | "TZ"
  | "ISO8601TZ"
  | "ISO8601SecondsTZ"
  | "ISO8601ShortTZ"
  | "ISO8601ColonTZ"
  | "ISO8601ColonSecondsTZ"
  | "NumTZ"
  | "NumSecondsTz"
  | "NumShortTZ"
  | "NumColonTZ"
  | "NumColonSecondsTZ"
  | "FracSecond0"
  | "FracSecond9";

interface Chunk {
  prefix: string;
  std?: Std;
  /** Digits of a fractional-second element. */
  digits?: number;
  suffix: string;
}

const ZERO_X: Std[] = ["ZeroMonth", "ZeroDay", "ZeroHour12", "ZeroMinute", "ZeroSecond", "Year"];
const ZONES: [string, Std][] = [
  ["-070000", "NumSecondsTz"],
  ["-07:00:00", "NumColonSecondsTZ"],
  ["-0700", "NumTZ"],
  ["-07:00", "NumColonTZ"],
  ["-07", "NumShortTZ"],
  ["Z070000", "ISO8601SecondsTZ"],
  ["Z07:00:00", "ISO8601ColonSecondsTZ"],
  ["Z0700", "ISO8601TZ"],
  ["Z07:00", "ISO8601ColonTZ"],
  ["Z07", "ISO8601ShortTZ"],
];

/** time.nextStdChunk: the literal prefix, the next layout element and the rest. */
function nextStdChunk(layout: string): Chunk {
  const at = (i: number, s: string): boolean => layout.startsWith(s, i);
  const lowerAfter = (i: number): boolean => /^[a-z]/.test(layout.slice(i));
  const cut = (i: number, len: number, std: Std): Chunk => ({
    prefix: layout.slice(0, i),
    std,
    suffix: layout.slice(i + len),
  });
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    switch (c) {
      case "J":
        if (at(i, "Jan")) {
          if (at(i, "January")) return cut(i, 7, "LongMonth");
          if (!lowerAfter(i + 3)) return cut(i, 3, "Month");
        }
        break;
      case "M":
        if (at(i, "Mon")) {
          if (at(i, "Monday")) return cut(i, 6, "LongWeekDay");
          if (!lowerAfter(i + 3)) return cut(i, 3, "WeekDay");
        }
        if (at(i, "MST")) return cut(i, 3, "TZ");
        break;
      case "0": {
        const next = layout[i + 1] ?? "";
        if (next >= "1" && next <= "6") return cut(i, 2, ZERO_X[Number(next) - 1] ?? "ZeroMonth");
        if (at(i, "002")) return cut(i, 3, "ZeroYearDay");
        break;
      }
      case "1":
        if (layout[i + 1] === "5") return cut(i, 2, "Hour");
        return cut(i, 1, "NumMonth");
      case "2":
        if (at(i, "2006")) return cut(i, 4, "LongYear");
        return cut(i, 1, "Day");
      case "_":
        if (layout[i + 1] === "2") {
          if (at(i + 1, "2006"))
            return { prefix: layout.slice(0, i + 1), std: "LongYear", suffix: layout.slice(i + 5) };
          return cut(i, 2, "UnderDay");
        }
        if (at(i, "__2")) return cut(i, 3, "UnderYearDay");
        break;
      case "3":
        return cut(i, 1, "Hour12");
      case "4":
        return cut(i, 1, "Minute");
      case "5":
        return cut(i, 1, "Second");
      case "P":
        if (layout[i + 1] === "M") return cut(i, 2, "PM");
        break;
      case "p":
        if (layout[i + 1] === "m") return cut(i, 2, "pm");
        break;
      case "-":
      case "Z":
        for (const [text, std] of ZONES) if (at(i, text)) return cut(i, text.length, std);
        break;
      case ".":
      case ",": {
        const ch = layout[i + 1];
        if (ch === "0" || ch === "9") {
          let j = i + 1;
          while (layout[j] === ch) j++;
          if (!/[0-9]/.test(layout[j] ?? "")) {
            return {
              prefix: layout.slice(0, i),
              std: ch === "0" ? "FracSecond0" : "FracSecond9",
              digits: j - i - 1,
              suffix: layout.slice(j),
            };
          }
        }
        break;
      }
    }
  }
  return { prefix: layout, suffix: "" };
}

class Reader {
  constructor(
    public rest: string,
    private readonly layout: string,
    private readonly value: string,
  ) {}
  fail(what: string): never {
    throw new TimeError(
      `parsing time ${JSON.stringify(this.value)} as ${JSON.stringify(this.layout)}: cannot parse ${JSON.stringify(this.rest)} as ${JSON.stringify(what)}`,
    );
  }
  /** Go getnum: one or two digits; exactly two when `fixed`. */
  num(fixed: boolean, what: string): number {
    const m = /^\d\d?/.exec(this.rest);
    if (!m || (fixed && m[0].length !== 2)) this.fail(what);
    this.rest = this.rest.slice(m[0].length);
    return Number(m[0]);
  }
  digits(n: number, what: string): number {
    const m = new RegExp(`^\\d{${n}}`).exec(this.rest);
    if (!m) this.fail(what);
    this.rest = this.rest.slice(n);
    return Number(m[0]);
  }
  lookup(names: string[], short: boolean, what: string): number {
    for (let i = 0; i < names.length; i++) {
      const name = short ? (names[i] ?? "").slice(0, 3) : (names[i] ?? "");
      if (this.rest.slice(0, name.length).toLowerCase() === name.toLowerCase()) {
        this.rest = this.rest.slice(name.length);
        return i;
      }
    }
    return this.fail(what);
  }
}

/** time.Parse(layout, value): times without a zone are UTC. */
export function parseLayout(layout: string, value: string): GoTime {
  const r: Reader = new Reader(value, layout, value);
  let year = 0;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let nanos = 0;
  let pmSet = false;
  let amSet = false;
  let offset: number | undefined;
  let rest = layout;
  for (;;) {
    const chunk = nextStdChunk(rest);
    if (!r.rest.startsWith(chunk.prefix)) r.fail(chunk.prefix);
    r.rest = r.rest.slice(chunk.prefix.length);
    if (!chunk.std) {
      if (r.rest.length > 0)
        throw new TimeError(`parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(r.rest)}`);
      break;
    }
    rest = chunk.suffix;
    const std = chunk.std;
    switch (std) {
      case "Year": {
        const y = r.digits(2, "06");
        year = y >= 69 ? y + 1900 : y + 2000;
        break;
      }
      case "LongYear":
        year = r.digits(4, "2006");
        break;
      case "Month":
        month = r.lookup(LONG_MONTHS, true, "Jan") + 1;
        break;
      case "LongMonth":
        month = r.lookup(LONG_MONTHS, false, "January") + 1;
        break;
      case "NumMonth":
      case "ZeroMonth":
        month = r.num(std === "ZeroMonth", "01");
        if (month < 1 || month > 12)
          throw new TimeError(`parsing time ${JSON.stringify(value)}: month out of range`);
        break;
      case "WeekDay":
        r.lookup(LONG_DAYS, true, "Mon");
        break;
      case "LongWeekDay":
        r.lookup(LONG_DAYS, false, "Monday");
        break;
      case "Day":
      case "UnderDay":
      case "ZeroDay":
        if (std === "UnderDay" && r.rest.startsWith(" ")) r.rest = r.rest.slice(1);
        day = r.num(std === "ZeroDay", "02");
        break;
      case "UnderYearDay":
      case "ZeroYearDay":
        throw new TimeError(`day-of-year layouts are not supported: ${JSON.stringify(layout)}`);
      case "Hour":
        hour = r.num(false, "15");
        if (hour > 23) throw new TimeError(`parsing time ${JSON.stringify(value)}: hour out of range`);
        break;
      case "Hour12":
      case "ZeroHour12":
        hour = r.num(std === "ZeroHour12", "03");
        if (hour > 12) throw new TimeError(`parsing time ${JSON.stringify(value)}: hour out of range`);
        break;
      case "Minute":
      case "ZeroMinute":
        minute = r.num(std === "ZeroMinute", "04");
        if (minute > 59) throw new TimeError(`parsing time ${JSON.stringify(value)}: minute out of range`);
        break;
      case "Second":
      case "ZeroSecond": {
        second = r.num(std === "ZeroSecond", "05");
        if (second > 59) throw new TimeError(`parsing time ${JSON.stringify(value)}: second out of range`);
        // Go accepts a fractional second after the seconds even when the layout has none.
        const next = nextStdChunk(rest);
        const frac = /^[.,](\d+)/.exec(r.rest);
        if (frac?.[1] && !(next.prefix === "" && next.std?.startsWith("FracSecond"))) {
          nanos = fractionNanos(frac[1]);
          r.rest = r.rest.slice(frac[0].length);
        }
        break;
      }
      case "PM":
      case "pm": {
        const ampm = r.rest.slice(0, 2).toUpperCase();
        if (ampm === "PM") pmSet = true;
        else if (ampm === "AM") amSet = true;
        else r.fail(std);
        r.rest = r.rest.slice(2);
        break;
      }
      case "FracSecond0": {
        const n = chunk.digits ?? 0;
        const m = new RegExp(`^[.,](\\d{${n}})`).exec(r.rest);
        if (!m?.[1]) r.fail(`.${"0".repeat(n)}`);
        nanos = fractionNanos(m[1]);
        r.rest = r.rest.slice(m[0].length);
        break;
      }
      case "FracSecond9": {
        const m = /^[.,](\d+)/.exec(r.rest);
        if (m?.[1]) {
          nanos = fractionNanos(m[1]);
          r.rest = r.rest.slice(m[0].length);
        }
        break;
      }
      case "TZ": {
        const m = /^(UTC|[A-Z]{3,5})/.exec(r.rest);
        if (!m) r.fail("MST");
        r.rest = r.rest.slice(m[0].length);
        offset = 0;
        break;
      }
      default:
        offset = parseZone(r, std);
    }
  }
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (day < 1 || day > daysIn(month, year))
    throw new TimeError(`parsing time ${JSON.stringify(value)}: day out of range`);
  return fromCivil({ year, month, day, hour, minute, second }, nanos, offset ?? 0);
}

function fractionNanos(digits: string): number {
  return Number(digits.slice(0, 9).padEnd(9, "0"));
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return MONTH_DAYS[month - 1] ?? 31;
}

function parseZone(r: Reader, std: Std): number {
  if (std.startsWith("ISO8601") && (r.rest[0] === "Z" || r.rest[0] === "z")) {
    r.rest = r.rest.slice(1);
    return 0;
  }
  const patterns: Partial<Record<Std, RegExp>> = {
    NumTZ: /^([+-])(\d\d)(\d\d)/,
    ISO8601TZ: /^([+-])(\d\d)(\d\d)/,
    NumShortTZ: /^([+-])(\d\d)/,
    ISO8601ShortTZ: /^([+-])(\d\d)/,
    NumColonTZ: /^([+-])(\d\d):(\d\d)/,
    ISO8601ColonTZ: /^([+-])(\d\d):(\d\d)/,
    NumSecondsTz: /^([+-])(\d\d)(\d\d)(\d\d)/,
    ISO8601SecondsTZ: /^([+-])(\d\d)(\d\d)(\d\d)/,
    NumColonSecondsTZ: /^([+-])(\d\d):(\d\d):(\d\d)/,
    ISO8601ColonSecondsTZ: /^([+-])(\d\d):(\d\d):(\d\d)/,
  };
  const m = patterns[std]?.exec(r.rest);
  if (!m) return r.fail("-07:00");
  r.rest = r.rest.slice(m[0].length);
  const seconds = Number(m[2] ?? 0) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return m[1] === "-" ? -seconds : seconds;
}
