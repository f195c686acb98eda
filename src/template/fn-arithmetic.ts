/**
 * Chainsaw's arithmetic functions (kyverno-json pkg/jp/kyverno/arithmetic.go): numbers, Kubernetes
 * quantities and Go durations. A string operand is a quantity if it parses as one, otherwise a
 * duration, so `'30m'` is 30 milli-units, not 30 minutes (and `add('1h', '30m')` is a type mismatch,
 * as in Chainsaw). Results are numbers, or strings as Quantity.String() / Duration.String() print them.
 *
 * | op | quantity ∘ quantity | duration ∘ duration | number ∘ number | mixed |
 * |----|---|---|---|---|
 * | add, subtract | quantity | duration | number | error |
 * | multiply | error | error | number | quantity×number → quantity, duration×number → duration |
 * | divide | number | number | number | quantity÷number → quantity, duration÷number → duration |
 * | modulo | quantity (integers) | duration | number (integers) | error |
 */
import {
  durationFromFloat,
  durationSeconds,
  formatDuration,
  tryParseDuration,
  wrapDuration,
} from "./duration.ts";
import {
  addQuantities,
  divideQuantityTruncated,
  formatQuantity,
  multiplyQuantities,
  parseQuantity,
  quantityFromNumber,
  quantityToNumber,
  type Quantity,
} from "./quantity.ts";

type Operand =
  { kind: "scalar"; value: number } | { kind: "quantity"; q: Quantity } | { kind: "duration"; ns: bigint };

export function fnError(fn: string, message: string): Error {
  return new Error(`JMESPath function '${fn}': ${message}`);
}

function operand(fn: string, value: unknown): Operand {
  if (typeof value === "number") return { kind: "scalar", value };
  if (typeof value === "string") {
    const q = parseQuantity(value);
    if (q) return { kind: "quantity", q };
    const ns = tryParseDuration(value);
    if (ns !== undefined) return { kind: "duration", ns };
  }
  throw fnError(fn, "invalid operand");
}

function mismatch(fn: string): Error {
  return fnError(fn, "types mismatch");
}

function zeroDivision(fn: string): Error {
  return fnError(fn, "Zero divisor passed");
}

function scalarQuantity(fn: string, value: number): Quantity {
  const q = quantityFromNumber(value);
  if (!q) throw fnError(fn, `cannot use ${value} as a quantity`);
  return q;
}

function add(fn: string, a: Operand, b: Operand, negate: boolean): unknown {
  if (a.kind === "scalar" && b.kind === "scalar") return negate ? a.value - b.value : a.value + b.value;
  if (a.kind === "quantity" && b.kind === "quantity") return formatQuantity(addQuantities(a.q, b.q, negate));
  if (a.kind === "duration" && b.kind === "duration")
    return formatDuration(wrapDuration(negate ? a.ns - b.ns : a.ns + b.ns));
  throw mismatch(fn);
}

function multiply(fn: string, a: Operand, b: Operand): unknown {
  if (a.kind === "scalar" && b.kind === "scalar") return a.value * b.value;
  const [x, y] = a.kind === "scalar" ? [b, a] : [a, b];
  if (y.kind !== "scalar") throw mismatch(fn);
  if (x.kind === "quantity") return formatQuantity(multiplyQuantities(x.q, scalarQuantity(fn, y.value)));
  if (x.kind === "duration") return formatDuration(durationFromFloat(durationSeconds(x.ns) * y.value * 1e9));
  throw mismatch(fn);
}

function divide(fn: string, a: Operand, b: Operand): unknown {
  if (a.kind === "scalar" && b.kind === "scalar") {
    if (b.value === 0) throw zeroDivision(fn);
    return a.value / b.value;
  }
  if (a.kind === "quantity" && b.kind === "quantity") {
    const divisor = quantityToNumber(b.q);
    if (divisor === 0) throw zeroDivision(fn);
    return quantityToNumber(a.q) / divisor;
  }
  if (a.kind === "quantity" && b.kind === "scalar") {
    if (b.value === 0) throw zeroDivision(fn);
    return formatQuantity(divideQuantityTruncated(a.q, scalarQuantity(fn, b.value)));
  }
  if (a.kind === "duration" && b.kind === "duration") {
    const divisor = durationSeconds(b.ns);
    if (divisor === 0) throw zeroDivision(fn);
    return durationSeconds(a.ns) / divisor;
  }
  if (a.kind === "duration" && b.kind === "scalar") {
    if (b.value === 0) throw zeroDivision(fn);
    return formatDuration(durationFromFloat((durationSeconds(a.ns) / b.value) * 1e9));
  }
  throw mismatch(fn);
}

function integer(fn: string, value: number): bigint {
  if (!Number.isInteger(value)) throw fnError(fn, "Non-integer argument(s) passed for modulo");
  return BigInt(value);
}

function modulo(fn: string, a: Operand, b: Operand): unknown {
  if (a.kind === "scalar" && b.kind === "scalar") {
    const x = integer(fn, a.value);
    const y = integer(fn, b.value);
    if (y === 0n) throw zeroDivision(fn);
    return Number(x % y);
  }
  if (a.kind === "quantity" && b.kind === "quantity") {
    const x = integer(fn, quantityToNumber(a.q));
    const y = integer(fn, quantityToNumber(b.q));
    if (y === 0n) throw zeroDivision(fn);
    return formatQuantity({ unscaled: x % y, scale: 0, format: a.q.format });
  }
  if (a.kind === "duration" && b.kind === "duration") {
    if (b.ns === 0n) throw zeroDivision(fn);
    return formatDuration(a.ns % b.ns);
  }
  throw mismatch(fn);
}

export function arithmetic(
  fn: "add" | "subtract" | "multiply" | "divide" | "modulo",
  args: unknown[],
): unknown {
  const a = operand(fn, args[0]);
  const b = operand(fn, args[1]);
  switch (fn) {
    case "add":
      return add(fn, a, b, false);
    case "subtract":
      return add(fn, a, b, true);
    case "multiply":
      return multiply(fn, a, b);
    case "divide":
      return divide(fn, a, b);
    case "modulo":
      return modulo(fn, a, b);
  }
}

/** `sum(array)`: folds `add` over the items; the empty array is an error, one item is returned as is. */
export function sum(args: unknown[]): unknown {
  const items = args[0];
  if (!Array.isArray(items)) throw mismatch("sum");
  if (items.length === 0) throw fnError("sum", "at least one element in the array is required");
  let result: unknown = items[0];
  for (const item of items.slice(1)) result = add("sum", operand("sum", result), operand("sum", item), false);
  return result;
}

/** `round(number, digits)`: Go's math.Round (halves away from zero) at `digits` decimals. */
export function round(args: unknown[]): unknown {
  const [value, digits] = args as [number, number];
  if (!Number.isInteger(digits)) throw fnError("round", "Non-integer argument(s) passed for round off");
  if (digits < 0) throw fnError("round", "Argument(s) out of bounds");
  const shift = 10 ** digits;
  const x = value * shift;
  return (Math.sign(x) * Math.round(Math.abs(x))) / shift;
}
