/**
 * Go `time.Duration` parsing and printing (time.ParseDuration, Duration.String), used by Chainsaw's
 * arithmetic and time functions, which return durations as Go prints them (`1h30m0s`, `1.5s`).
 * Durations are nanoseconds in a bigint, limited to the int64 range like Go.
 *
 * Not `../source/duration.ts`, on purpose: template functions must return Go's exact text (`1m0s`,
 * `1h0m0s`, negative and sub-microsecond values, int64 wrap-around), which milliseconds in a float
 * cannot carry; kubeproof's own messages use the shorter form (`1m`) from there.
 */

const MAX_INT64 = (1n << 63n) - 1n;

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "\u00b5s": 1_000n,
  "\u03bcs": 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

export const SECOND = 1_000_000_000n;

export class DurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DurationError";
  }
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/** time.ParseDuration; throws DurationError with Go's message. */
export function parseDuration(input: string): bigint {
  const invalid = (): DurationError => new DurationError(`time: invalid duration ${JSON.stringify(input)}`);
  let s = input;
  let neg = false;
  if (s[0] === "-" || s[0] === "+") {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return 0n;
  if (s === "") throw invalid();
  let total = 0n;
  while (s !== "") {
    if (!(s[0] === "." || isDigit(s[0]))) throw invalid();
    let i = 0;
    while (isDigit(s[i])) i++;
    const whole = s.slice(0, i);
    s = s.slice(i);
    let fraction = "";
    if (s[0] === ".") {
      s = s.slice(1);
      let j = 0;
      while (isDigit(s[j])) j++;
      fraction = s.slice(0, j);
      s = s.slice(j);
    }
    if (whole === "" && fraction === "") throw invalid();
    let k = 0;
    while (k < s.length && !(s[k] === "." || isDigit(s[k]))) k++;
    if (k === 0) throw new DurationError(`time: missing unit in duration ${JSON.stringify(input)}`);
    const unitName = s.slice(0, k);
    s = s.slice(k);
    const unit = UNITS[unitName];
    if (unit === undefined) {
      throw new DurationError(
        `time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(input)}`,
      );
    }
    let v = BigInt(whole === "" ? "0" : whole);
    if (v > (1n << 63n) / unit) throw invalid();
    v *= unit;
    if (fraction !== "") {
      // Go keeps at most the digits that fit an uint64 and converts through float64.
      let f = 0n;
      let scale = 1;
      for (const ch of fraction) {
        if (f > ((1n << 63n) - 1n) / 10n) break;
        f = f * 10n + BigInt(ch);
        scale *= 10;
      }
      if (f > 0n) v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > 1n << 63n) throw invalid();
    }
    total += v;
    if (total > 1n << 63n) throw invalid();
  }
  if (neg) return -total;
  if (total > MAX_INT64) throw invalid();
  return total;
}

export function tryParseDuration(input: string): bigint | undefined {
  try {
    return parseDuration(input);
  } catch {
    return undefined;
  }
}

/** Wraps to the int64 range, as Go's Duration arithmetic does. */
export function wrapDuration(ns: bigint): bigint {
  return BigInt.asIntN(64, ns);
}

function fraction(v: bigint, precision: number): { text: string; rest: bigint } {
  let text = "";
  let print = false;
  let rest = v;
  for (let i = 0; i < precision; i++) {
    const digit = rest % 10n;
    print = print || digit !== 0n;
    if (print) text = `${digit}${text}`;
    rest /= 10n;
  }
  return { text: print ? `.${text}` : "", rest };
}

/** Duration.String: `72h3m0.5s`, `1.5ms`, `0s`. */
export function formatDuration(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < SECOND) {
    if (u === 0n) return "0s";
    let unit: string;
    let precision: number;
    if (u < 1_000n) {
      unit = "ns";
      precision = 0;
    } else if (u < 1_000_000n) {
      unit = "\u00b5s";
      precision = 3;
    } else {
      unit = "ms";
      precision = 6;
    }
    const frac = fraction(u, precision);
    out = `${frac.rest}${frac.text}${unit}`;
  } else {
    const frac = fraction(u, 9);
    u = frac.rest;
    out = `${u % 60n}${frac.text}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Duration.Seconds(): whole seconds plus the nanosecond remainder, in float64. */
export function durationSeconds(ns: bigint): number {
  const sec = ns / SECOND;
  const nsec = ns % SECOND;
  return Number(sec) + Number(nsec) / 1e9;
}

/** time.Duration(f) for a float64 f (truncation toward zero, like Go's conversion). */
export function durationFromFloat(nanoseconds: number): bigint {
  if (!Number.isFinite(nanoseconds)) throw new DurationError("duration out of range");
  return wrapDuration(BigInt(Math.trunc(nanoseconds)));
}
