/**
 * Helm's `--set` syntax (helm.sh/helm/v3/pkg/strvals), which Chainsaw's `--set` and `--set-string`
 * take too: comma-separated `key=value` pairs, dotted keys that nest, `name[i]` list indices,
 * `{a,b}` lists, and `\` escaping the next character (`a\.b=1` is the key `a.b`, `x=1\,2` the value
 * `1,2`). A value is typed as Helm types it: `true`/`false` (any case), `null`, and integers without a
 * leading zero; everything else, `01` and `1.5` included, stays a string. `--set-string` types nothing.
 */

export class SetSyntaxError extends Error {
  override name = "SetSyntaxError";
}

type Container = Record<string, unknown> | unknown[];

/** Applies one `--set` (or, with `asString`, `--set-string`) argument to `values`, in place. */
export function applySet(values: Record<string, unknown>, text: string, asString: boolean): void {
  for (const assignment of splitUnescaped(text, ",", true)) {
    if (assignment === "") continue;
    const at = indexOfUnescaped(assignment, "=");
    if (at <= 0) throw new SetSyntaxError(`key "${unescape(assignment)}" has no value (expected key=value)`);
    const path = keyPath(assignment.slice(0, at));
    const raw = assignment.slice(at + 1);
    const value =
      raw.startsWith("{") && raw.endsWith("}")
        ? splitUnescaped(raw.slice(1, -1), ",", false).map((item) => typed(unescape(item), asString))
        : typed(unescape(raw), asString);
    assign(values, path, value);
  }
}

/** Helm's typedVal. */
function typed(text: string, asString: boolean): unknown {
  if (asString) return text;
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (lower === "null") return null;
  if (text === "0") return 0;
  if (/^[-+]?\d+$/.test(text) && !text.startsWith("0")) {
    const n = Number(text);
    // Helm keeps an int64; past 2^53 a JavaScript number would change it, so it stays as written.
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

/** `a.b[0].c` → ["a", "b", 0, "c"]; `\.` keeps a dot in a key. */
function keyPath(key: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const segment of splitUnescaped(key, ".", false)) {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(segment);
    const name = unescape(match?.[1] ?? segment);
    const indices = [...(match?.[2] ?? "").matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
    if (name === "" && (path.length === 0 || indices.length === 0))
      throw new SetSyntaxError(`key "${unescape(key)}" has an empty part`);
    if (name !== "") path.push(name);
    path.push(...indices);
  }
  return path;
}

function assign(values: Record<string, unknown>, path: readonly (string | number)[], value: unknown): void {
  let target: Container = values;
  path.forEach((segment, i) => {
    const last = i === path.length - 1;
    const nextIsIndex = typeof path[i + 1] === "number";
    if (typeof segment === "number") {
      if (!Array.isArray(target))
        throw new SetSyntaxError(`index [${segment}] of something that is not a list`);
      while (target.length <= segment) target.push(null);
      if (last) target[segment] = value;
      else target = target[segment] = child(target[segment], nextIsIndex);
      return;
    }
    if (Array.isArray(target)) throw new SetSyntaxError(`key "${segment}" of a list`);
    if (last) target[segment] = value;
    else target = target[segment] = child(target[segment], nextIsIndex);
  });
}

function child(current: unknown, list: boolean): Container {
  if (list) return Array.isArray(current) ? (current as unknown[]) : [];
  return typeof current === "object" && current !== null && !Array.isArray(current)
    ? (current as Record<string, unknown>)
    : {};
}

/** Splits on `sep` where it is not escaped (and, with `braces`, not inside `{...}`); escapes are kept. */
function splitUnescaped(text: string, sep: string, braces: boolean): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? "";
    if (c === "\\" && i + 1 < text.length) {
      current += c + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (braces && c === "{") depth++;
    if (braces && c === "}") depth = Math.max(0, depth - 1);
    if (c === sep && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function indexOfUnescaped(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}
