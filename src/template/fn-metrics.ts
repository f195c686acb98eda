/**
 * Chainsaw's `x_metrics_decode(text)`: the samples of a Prometheus text exposition, as Prometheus'
 * `model.Vector` encodes to JSON: `{metric: {__name__, ...labels}, value: [seconds, "value"]}`, sorted
 * by label set. Samples without a timestamp get the current time. Histogram and summary series are the
 * `_bucket`, `_sum`, `_count` and quantile lines as written.
 */
import { fnError } from "./fn-arithmetic.ts";
import type { ArgSpec, JmespathFunction } from "./registry.ts";

export interface MetricSample {
  metric: Record<string, string>;
  value: [number, string];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

interface Sample {
  labels: Record<string, string>;
  ms: number;
  value: string;
}

export function decodeMetrics(text: string, nowMs: number = Date.now()): MetricSample[] {
  const samples: Sample[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line !== "" && !line.startsWith("#")) samples.push(parseLine(line, index + 1, nowMs));
  });
  samples.sort((a, b) =>
    labelSetBefore(a.labels, b.labels) ? -1 : labelSetBefore(b.labels, a.labels) ? 1 : a.ms - b.ms,
  );
  return samples.map((s) => ({ metric: s.labels, value: [s.ms / 1000, s.value] }));
}

function parseLine(line: string, number: number, nowMs: number): Sample {
  const fail = (what: string): never => {
    throw fnError("x_metrics_decode", `text format parsing error in line ${number}: ${what}`);
  };
  const name = NAME.exec(line)?.[0] ?? fail(`invalid metric name in "${line}"`);
  const labels: Record<string, string> = { __name__: name };
  let rest = line.slice(name.length).trimStart();
  if (rest.startsWith("{")) {
    rest = rest.slice(1).trimStart();
    while (!rest.startsWith("}")) {
      const label = LABEL_NAME.exec(rest)?.[0] ?? fail(`invalid label name in "${line}"`);
      rest = rest.slice(label.length).trimStart();
      if (!rest.startsWith('="')) fail(`expected '="' after label name ${label}`);
      const [value, length] = labelValue(rest.slice(2)) ?? fail(`unterminated label value for ${label}`);
      if (Object.hasOwn(labels, label)) fail(`duplicate label ${label}`);
      labels[label] = value;
      rest = rest.slice(2 + length).trimStart();
      if (rest.startsWith(",")) rest = rest.slice(1).trimStart();
      else if (!rest.startsWith("}")) fail(`expected ',' or '}' after label ${label}`);
    }
    rest = rest.slice(1).trimStart();
  }
  const [valueText = "", timestamp, extra] = rest.split(/\s+/);
  if (valueText === "" || extra !== undefined)
    fail(`expected a value and an optional timestamp in "${line}"`);
  const value = sampleValue(valueText) ?? fail(`invalid value "${valueText}"`);
  if (timestamp !== undefined && !/^-?\d+$/.test(timestamp)) fail(`invalid timestamp "${timestamp}"`);
  return { labels, ms: timestamp === undefined ? nowMs : Number(timestamp), value };
}

/** A quoted label value (after the opening quote): its text and the characters it spans, quote included. */
function labelValue(text: string): [string, number] | undefined {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return [out, i + 1];
    if (c === "\\") {
      const next = text[++i];
      if (next === "n") out += "\n";
      else if (next === "\\" || next === '"') out += next;
      else return undefined;
    } else out += c;
  }
  return undefined;
}

/** The value as Prometheus prints a SampleValue (strconv 'f', -1), or undefined when it is no number. */
function sampleValue(text: string): string | undefined {
  if (/^[+-]?inf$/i.test(text)) return text.startsWith("-") ? "-Inf" : "+Inf";
  if (/^nan$/i.test(text)) return "NaN";
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  return plainDecimal(n);
}

/** Go's strconv.FormatFloat(f, 'f', -1, 64): the shortest round-tripping digits, never an exponent. */
export function plainDecimal(n: number): string {
  const shortest = String(n);
  if (!/e/i.test(shortest)) return shortest;
  const negative = shortest.startsWith("-");
  const [mantissa = "", exponent = "0"] = shortest.replace(/^-/, "").toLowerCase().split("e");
  const [whole = "", fraction = ""] = mantissa.split(".");
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  const body =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? `${digits}${"0".repeat(point - digits.length)}`
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return `${negative ? "-" : ""}${body}`;
}

/** Prometheus' LabelSet.Before: fewer labels first, then by the values of the sorted label names. */
function labelSetBefore(a: Record<string, string>, b: Record<string, string>): boolean {
  const aNames = Object.keys(a);
  const bNames = Object.keys(b);
  if (aNames.length !== bNames.length) return aNames.length < bNames.length;
  for (const name of [...aNames, ...bNames].sort()) {
    const av = a[name];
    const bv = b[name];
    if (av === undefined) return true;
    if (bv === undefined) return false;
    if (av !== bv) return av < bv;
  }
  return false;
}

export const METRICS_FUNCTIONS: [string, JmespathFunction, ArgSpec[]][] = [
  ["x_metrics_decode", ([text]) => decodeMetrics(text as string), [{ types: ["string"] }]],
];
