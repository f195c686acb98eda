/**
 * The slice of Go's `time` package that Chainsaw's time functions expose (kyverno-json
 * pkg/jp/kyverno/time.go): RFC 3339 parsing and formatting, and parsing with a Go reference layout
 * (`2006-01-02 15:04:05 -0700`). A time is nanoseconds since the Unix epoch plus the UTC offset it
 * was written with, because Go prints a parsed time back in its own offset.
 */

export interface GoTime {
  /** Nanoseconds since 1970-01-01T00:00:00Z. */
  ns: bigint;
  /** Offset from UTC in seconds (0 for UTC). */
  offset: number;
}

export class TimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeError";
  }
}

export const RFC3339 = "2006-01-02T15:04:05Z07:00";
const NS_PER_SECOND = 1_000_000_000n;
const NS_PER_MS = 1_000_000n;
// Seconds from Go's zero time (January 1, year 1, UTC) to the Unix epoch; Truncate works from there.
const ZERO_TO_UNIX = 62_135_596_800n;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function nowTime(utc: boolean): GoTime {
  const ms = BigInt(Date.now());
  const offset = utc ? 0 : -new Date().getTimezoneOffset() * 60;
  return { ns: ms * NS_PER_MS, offset };
}

export interface Civil {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

/** The wall clock of `t` in its own offset. */
export function civil(t: GoTime): Civil & { nanos: number } {
  const local = t.ns + BigInt(t.offset) * NS_PER_SECOND;
  const ms = floorDiv(local, NS_PER_MS);
  const nanos = Number(local - floorDiv(local, NS_PER_SECOND) * NS_PER_SECOND);
  const date = new Date(Number(ms));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    weekday: date.getUTCDay(),
    nanos,
  };
}

export function fromCivil(c: Omit<Civil, "weekday">, nanos: number, offset: number): GoTime {
  const date = new Date(0);
  date.setUTCFullYear(c.year, c.month - 1, c.day);
  date.setUTCHours(c.hour, c.minute, c.second, 0);
  const ns = BigInt(date.getTime()) * NS_PER_MS + BigInt(nanos) - BigInt(offset) * NS_PER_SECOND;
  return { ns, offset };
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, "0");
  return n < 0 ? `-${s}` : s;
}

function formatOffset(offset: number, colon: boolean): string {
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  return colon ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
}

/** t.Format(time.RFC3339): no fractional seconds, `Z` for UTC. */
export function formatRFC3339(t: GoTime): string {
  const c = civil(t);
  const zone = t.offset === 0 ? "Z" : formatOffset(t.offset, true);
  return `${pad(c.year, 4)}-${pad(c.month, 2)}-${pad(c.day, 2)}T${pad(c.hour, 2)}:${pad(c.minute, 2)}:${pad(c.second, 2)}${zone}`;
}

export function addDuration(t: GoTime, d: bigint): GoTime {
  return { ns: t.ns + d, offset: t.offset };
}

/** t.Truncate(d): rounds down to a multiple of d since Go's zero time; d <= 0 leaves t unchanged. */
export function truncateTime(t: GoTime, d: bigint): GoTime {
  if (d <= 0n) return t;
  const sinceZero = t.ns + ZERO_TO_UNIX * NS_PER_SECOND;
  const r = ((sinceZero % d) + d) % d;
  return { ns: t.ns - r, offset: t.offset };
}
