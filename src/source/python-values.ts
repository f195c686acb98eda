/**
 * Python's view of plain JSON-like values, as Jinja2 prints them: `str()` (repr inside containers:
 * `{'a': True, 'b': None}`) and the `tojson` filter (`json.dumps(sort_keys=True)` with ensure_ascii,
 * then `<`, `>`, `&`, `'` as \u escapes, as Jinja2's htmlsafe_json_dumps does).
 */

/** Jinja2's Undefined: renders empty, but is not a value tojson or attribute access accept. */
export class Undefined {
  constructor(readonly name: string) {}
}

/** What `{{ value }}` prints: `str(value)`. Undefined-like objects print as the empty string. */
export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Undefined) return "";
  return pyRepr(value);
}

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return pyNumber(value);
  if (typeof value === "string") return reprString(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object")
    return `{${Object.entries(value)
      .map(([k, v]) => `${reprString(k)}: ${pyRepr(v)}`)
      .join(", ")}}`;
  // Left: bigint, symbol, function — not values templates get from YAML.
  return typeof value === "bigint" ? value.toString() : "None";
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
  // JSON and YAML integers arrive as whole numbers; a float with a zero fraction (1.0) cannot be told
  // apart from one. Past 1e16 (beyond exact integers) a number is taken as the float it must have been.
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  const [mantissa = "", exponent = "0"] = n.toExponential().split("e");
  const e = Number(exponent);
  // Python's float repr: the shortest digits, fixed for 1e-4 <= |n| < 1e16, else d.ddde±XX.
  if (e >= -4 && e < 16) return String(n);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Python's repr of a str: single quotes unless the text holds ' and no ". */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + quote;
}

/** Jinja2's `tojson`. */
export function pyJson(value: unknown): string {
  return dumps(value).replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

function dumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return pyNumber(value);
  }
  if (typeof value === "string") return jsonString(value);
  if (Array.isArray(value)) return `[${value.map(dumps).join(", ")}]`;
  if (typeof value === "object") {
    // sort_keys: Python compares str by code point; JS's default sort by UTF-16 unit agrees below U+D800.
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${jsonString(k)}: ${dumps(record[k])}`).join(", ")}}`;
  }
  return typeof value === "bigint" ? value.toString() : "null";
}

const SHORT: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** json.dumps of a str with ensure_ascii: everything outside space..~ escaped, UTF-16 units as \uxxxx. */
function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i += 1) {
    const ch = s[i];
    const code = s.charCodeAt(i);
    if (SHORT[ch] !== undefined) out += SHORT[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}
