/**
 * Go `time.ParseDuration` syntax, because Chainsaw files (and their users) write `5s`, `1m30s`, `500ms`.
 * A bare number is rejected on purpose: `timeout: 30` is ambiguous (seconds? milliseconds?).
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** One `<number><unit>` group; several may follow each other (`1h2m3.5s`). */
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** The accepted syntax as a regular expression source (used in schemas and the JSON Schema export). */
export const DURATION_PATTERN = "^(?:0|\\+?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$";

export const DURATION_EXAMPLES = "30s, 1m30s or 500ms";

/** Milliseconds for a Go duration string, or `undefined` when the text is not one. Negative durations are refused. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  let rest = text.startsWith("+") ? text.slice(1) : text;
  if (rest === "") return undefined;
  let total = 0;
  while (rest.length > 0) {
    // Sticky match at the start of what is left, so "5s junk" cannot match "5s" and skip the rest.
    PART.lastIndex = 0;
    const m = PART.exec(rest);
    if (m === null) return undefined;
    const [whole, num, unit] = m;
    if (num === undefined || unit === undefined) return undefined;
    const factor = UNIT_MS[unit];
    if (factor === undefined) return undefined;
    total += Number(num) * factor;
    rest = rest.slice(whole.length);
  }
  // 1.1 * 1000 is 1100.0000000000002 in floating point; nanoseconds are the finest unit anyway.
  return Math.round(total * 1e6) / 1e6;
}

export interface DurationFormat {
  /**
   * Fraction digits kept on the seconds (0 to 3), for measured times: `1` prints `850ms`, `1.2s`,
   * `1m5.3s` (report timings); `0` prints whole seconds, `0s`, `45s`, `1m5s` (elapsed-time tickers).
   * Absent: exact, for durations the user wrote or a timeout (`500ms`, `1m30s`, `1.5ms`).
   */
  decimals?: 0 | 1 | 2 | 3;
}

/**
 * The one way kubeproof prints a duration, in Go's syntax so that what a message says can be written
 * back into a file: `0s`, `500ms`, `30s`, `1m30s`, `1h`, `1h0m5s`. Unlike Go's `Duration.String` it
 * leaves out trailing zero units (`1m`, not `1m0s`); `../template/duration.ts` keeps Go's exact
 * output for the Chainsaw template functions.
 */
export function formatDuration(ms: number, options: DurationFormat = {}): string {
  if (ms < 0) return `-${formatDuration(-ms, options)}`;
  const value = rounded(ms, options.decimals);
  if (value === 0) return "0s";
  if (value < 1000) return `${value}ms`;
  let rest = value;
  let out = "";
  const h = Math.floor(rest / 3_600_000);
  if (h > 0) {
    out += `${h}h`;
    rest -= h * 3_600_000;
  }
  const m = Math.floor(rest / 60_000);
  if (m > 0 || (h > 0 && rest > 0)) {
    out += `${m}m`;
    rest -= m * 60_000;
  }
  if (rest > 0 || out === "") out += `${rest / 1000}s`;
  return out;
}

/** A multiple of the last decimal kept; below a second whole milliseconds, unless no decimal is kept. */
function rounded(ms: number, decimals: DurationFormat["decimals"]): number {
  if (decimals === undefined) return ms;
  const whole = Math.round(ms);
  if (whole < 1000 && decimals > 0) return whole;
  const step = 10 ** (3 - decimals);
  return Math.round(ms / step) * step;
}
