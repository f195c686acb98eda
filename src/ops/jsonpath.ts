/**
 * The subset of kubectl's JSONPath that `wait --for=jsonpath` uses in practice: `{.a.b}`, `.a.b`,
 * `[0]` indexes and `['key.with.dots']`. Returns undefined for anything missing.
 */
export function jsonPathValue(object: unknown, expression: string): unknown {
  const path = expression
    .trim()
    .replace(/^\{(.*)\}$/, "$1")
    .trim();
  const segments: (string | number)[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]|\['([^']+)'\]|\["([^"]+)"\]/g;
  let consumed = 0;
  for (const m of path.matchAll(pattern)) {
    if (m.index !== consumed)
      throw new Error(`unsupported JSONPath "${expression}" (near "${path.slice(consumed)}")`);
    consumed = m.index + m[0].length;
    segments.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4] ?? "")));
  }
  if (consumed !== path.length)
    throw new Error(`unsupported JSONPath "${expression}" (near "${path.slice(consumed)}")`);
  let current: unknown = object;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** kubectl compares JSONPath results as text: numbers and booleans by their printed form. */
export function jsonPathText(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
