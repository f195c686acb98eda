/**
 * Leaf comparison of assertion trees, as kyverno-json does it (pkg/core/matching/match.go and
 * equal.go): an expected map matches partially (its keys must exist in the actual map and match),
 * an expected array must have the same length and match element by element, scalars compare by
 * value with numbers compared numerically. Comparing values of different kinds (`"1"` with `1`,
 * `true` with `"true"`) is not a mismatch but an error in Chainsaw; it throws `NotComparableError`.
 */

export class NotComparableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotComparableError";
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Go's reflect.Kind name of a decoded JSON value, for messages that read like Chainsaw's. */
export function goKind(value: unknown): string {
  if (value === null || value === undefined) return "invalid";
  if (Array.isArray(value)) return "slice";
  if (isMap(value)) return "map";
  if (typeof value === "number") return Number.isInteger(value) ? "int64" : "float64";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}

/** matching.Match: true when `actual` matches `expected`; throws NotComparableError like Chainsaw errors. */
export function valuesMatch(expected: unknown, actual: unknown): boolean {
  if (expected !== null && expected !== undefined) {
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) {
        throw new NotComparableError(`invalid actual value, must be a slice, found ${goKind(actual)}`);
      }
      if (expected.length !== actual.length) return false;
      return expected.every((item: unknown, i) => valuesMatch(item, actual[i]));
    }
    if (isMap(expected)) {
      if (!isMap(actual))
        throw new NotComparableError(`invalid actual value, must be a map, found ${goKind(actual)}`);
      return Object.entries(expected).every(
        ([key, value]) => Object.hasOwn(actual, key) && valuesMatch(value, actual[key]),
      );
    }
  }
  return valuesEqual(expected, actual);
}

/** matching.Equal for leaves. */
export function valuesEqual(expected: unknown, actual: unknown): boolean {
  const expectedNull = expected === null || expected === undefined;
  const actualNull = actual === null || actual === undefined;
  if (expectedNull || actualNull) return expectedNull && actualNull;
  if (typeof expected === typeof actual && typeof expected !== "object") return expected === actual;
  if (Array.isArray(expected) && Array.isArray(actual))
    return JSON.stringify(expected) === JSON.stringify(actual);
  if (isMap(expected) && isMap(actual)) return valuesMatch(expected, actual) && valuesMatch(actual, expected);
  throw new NotComparableError(`types are not comparable, ${goKind(expected)} - ${goKind(actual)}`);
}

/** How a value reads in a Chainsaw field error: strings quoted, null as "null", objects as JSON. */
export function describeValue(value: unknown, limit = 200): string {
  if (value === null || value === undefined) return '"null"';
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const json = JSON.stringify(value);
  return json.length > limit ? `${json.slice(0, limit)}...` : json;
}

/** The `Expected value: ...` half of a Chainsaw mismatch message. */
export function describeExpected(value: unknown): string {
  if (value === null || value === undefined) return "null";
  return describeValue(value);
}
