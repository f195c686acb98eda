/**
 * Kubernetes resource quantities (`1Gi`, `500m`, `1e3`), parsed and printed the way
 * k8s.io/apimachinery/pkg/api/resource does, because Chainsaw's arithmetic functions
 * (kyverno-json pkg/jp/kyverno/arithmetic.go) return `Quantity.String()` of their results.
 *
 * Values are exact decimals: `unscaled * 10^-scale`, like the inf.Dec the Go code falls back to.
 * `scale` keeps the Go scale of a parsed quantity because `divide(quantity, number)` rounds at it.
 */

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export interface Quantity {
  unscaled: bigint;
  scale: number;
  format: QuantityFormat;
}

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = "eEinumkKMGTP";
const MAX_INT64 = (1n << 63n) - 1n;
const NANO_SCALE = 9;
const MAX_INT64_FACTORS = 18;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

interface Parts {
  positive: boolean;
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** resource.parseQuantityString, step by step. */
function splitQuantity(str: string): Parts | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === "-") {
    positive = false;
    pos++;
  } else if (str[0] === "+") {
    pos++;
  }
  while (pos < end && str[pos] === "0") pos++;
  if (pos >= end) return { positive, value: "0", num: "0", denom: "", suffix: "" };
  let start = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  let num = str.slice(start, pos);
  if (pos >= end) return { positive, value: str, num, denom: "", suffix: "" };
  if (num === "") num = "0";
  let denom = "";
  if (str[pos] === ".") {
    pos++;
    start = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    denom = str.slice(start, pos);
    if (pos >= end) return { positive, value: str, num, denom, suffix: "" };
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos] ?? "")) pos++;
  if (pos >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  if (str[pos] === "-" || str[pos] === "+") pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  return undefined;
}

function interpretSuffix(
  suffix: string,
): { base: 2 | 10; exponent: number; format: QuantityFormat } | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal, format: "DecimalSI" };
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { base: 2, exponent: binary, format: "BinarySI" };
  if (suffix.length > 1 && (suffix[0] === "e" || suffix[0] === "E") && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Number.isSafeInteger(exponent) && Math.abs(exponent) < 2 ** 31) {
      return { base: 10, exponent, format: "DecimalExponent" };
    }
  }
  return undefined;
}

/** resource.ParseQuantity; `undefined` when `str` is not a quantity. */
export function parseQuantity(str: string): Quantity | undefined {
  if (str === "") return undefined;
  if (str === "0") return { unscaled: 0n, scale: 0, format: "DecimalSI" };
  const parts = splitQuantity(str);
  if (!parts) return undefined;
  const suffix = interpretSuffix(parts.suffix);
  if (!suffix) return undefined;
  const { num, denom, positive } = parts;

  // The int64 fast path keeps the parsed scale (which `divide` later rounds at).
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (suffix.format === "BinarySI") {
    if (suffix.exponent >= 0 && denom.length === 0) {
      mantissa = 1n << BigInt(suffix.exponent);
      precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
    } else {
      precision = -1;
    }
  } else {
    scale = suffix.exponent;
    precision = MAX_INT64_FACTORS - (num.length + denom.length);
  }
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -NANO_SCALE) {
      const result = BigInt(num + denom) * mantissa;
      if (result <= MAX_INT64) {
        return { unscaled: positive ? result : -result, scale: -scale, format: suffix.format };
      }
    }
  }

  // General path: exact decimal, then rounded up to nano units and capped like the Go code.
  const digits = parts.value.replace(/^[+-]/, "");
  if (!/^\d*\.?\d*$/.test(digits) || !/\d/.test(digits)) return undefined;
  const [intPart = "", fracPart = ""] = digits.split(".");
  let unscaled = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, "") || "0");
  let decScale = fracPart.length;
  if (suffix.base === 10) decScale -= suffix.exponent;
  else unscaled *= 1n << BigInt(suffix.exponent);
  let format = suffix.format;
  if (unscaled !== 0n) {
    ({ unscaled, scale: decScale } = rescale(unscaled, decScale, NANO_SCALE, "up"));
  }
  if (format === "BinarySI") {
    const max = { unscaled: MAX_INT64, scale: 0 };
    if (compareDecimal({ unscaled, scale: decScale }, max) > 0) ({ unscaled, scale: decScale } = max);
    if (unscaled !== 0n && compareDecimal({ unscaled, scale: decScale }, { unscaled: 1n, scale: 0 }) < 0) {
      format = "DecimalSI";
    }
  }
  return { unscaled: positive ? unscaled : -unscaled, scale: decScale, format };
}

/** Changes the scale of a non-negative decimal, rounding away from zero ("up") or toward zero ("down"). */
function rescale(
  unscaled: bigint,
  scale: number,
  target: number,
  mode: "up" | "down",
): { unscaled: bigint; scale: number } {
  if (target >= scale) return { unscaled: unscaled * pow10(target - scale), scale: target };
  const divisor = pow10(scale - target);
  let q = unscaled / divisor;
  if (mode === "up" && q * divisor !== unscaled) q += unscaled < 0n ? -1n : 1n;
  return { unscaled: q, scale: target };
}

function compareDecimal(
  a: { unscaled: bigint; scale: number },
  b: { unscaled: bigint; scale: number },
): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * pow10(scale - a.scale);
  const y = b.unscaled * pow10(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function quantityIsZero(q: Quantity): boolean {
  return q.unscaled === 0n;
}

/** Quantity.String(): the canonical form (`1536` → `1536`, `2048` as BinarySI → `2Ki`). */
export function formatQuantity(q: Quantity): string {
  if (q.unscaled === 0n) return "0";
  let format = q.format;
  if (format === "BinarySI") {
    const small =
      compareDecimal(q, { unscaled: -1024n, scale: 0 }) > 0 &&
      compareDecimal(q, { unscaled: 1024n, scale: 0 }) < 0;
    if (small || !isInteger(q)) format = "DecimalSI";
  }
  if (format === "BinarySI") {
    let amount = integerValue(q);
    let exponent = 0;
    while (amount !== 0n && (amount < 0n ? -amount : amount) >= 1024n && amount % 1024n === 0n) {
      amount /= 1024n;
      exponent++;
    }
    const suffix = Object.entries(BINARY_SUFFIXES).find(([, e]) => e === exponent * 10)?.[0] ?? "";
    return `${amount}${suffix}`;
  }
  let amount = q.unscaled;
  let exponent = -q.scale;
  while (amount % 10n === 0n) {
    amount /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    amount *= 10n;
    exponent--;
  }
  if (format === "DecimalExponent") return exponent === 0 ? `${amount}` : `${amount}e${exponent}`;
  // Like the Go code, an exponent without an SI suffix prints no suffix at all.
  const suffix = Object.entries(DECIMAL_SUFFIXES).find(([, e]) => e === exponent)?.[0] ?? "";
  return `${amount}${suffix}`;
}

function isInteger(q: Quantity): boolean {
  return q.scale <= 0 || q.unscaled % pow10(q.scale) === 0n;
}

function integerValue(q: Quantity): bigint {
  return q.scale <= 0 ? q.unscaled * pow10(-q.scale) : q.unscaled / pow10(q.scale);
}

export function quantityToNumber(q: Quantity): number {
  return Number(`${q.unscaled}e${-q.scale}`);
}

export function addQuantities(a: Quantity, b: Quantity, negateB = false): Quantity {
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * pow10(scale - a.scale);
  const y = b.unscaled * pow10(scale - b.scale);
  // Quantity.Add/Sub keep the receiver's format unless the receiver is zero.
  const format = a.unscaled === 0n ? b.format : a.format;
  return { unscaled: negateB ? x - y : x + y, scale, format };
}

export function multiplyQuantities(a: Quantity, b: Quantity): Quantity {
  return { unscaled: a.unscaled * b.unscaled, scale: a.scale + b.scale, format: a.format };
}

/** inf.Dec QuoRound(a, b, max(scale a, scale b), RoundDown), as `divide(quantity, number)` does. */
export function divideQuantityTruncated(a: Quantity, b: Quantity): Quantity {
  const scale = Math.max(a.scale, b.scale);
  const shift = scale + b.scale - a.scale;
  const unscaled =
    shift >= 0 ? (a.unscaled * pow10(shift)) / b.unscaled : a.unscaled / (b.unscaled * pow10(-shift));
  return { unscaled, scale, format: a.format };
}

/** fmt.Sprintf("%v", float64): shortest digits, in `%e` form when the exponent is < -4 or >= 6 (Go's %g rule for shortest precision). */
export function goFormatFloat(n: number): string {
  if (Object.is(n, -0)) return "-0";
  if (n === 0) return "0";
  const [mantissa = "0", exp = "0"] = n.toExponential().split("e");
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) {
    const abs = Math.abs(exponent);
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${abs < 10 ? "0" : ""}${abs}`;
  }
  return String(n);
}

/** A JSON number as the quantity Go gets from ParseQuantity(fmt.Sprintf("%v", n)). */
export function quantityFromNumber(n: number): Quantity | undefined {
  return parseQuantity(goFormatFloat(n));
}
