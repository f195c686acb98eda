/**
 * Small Go behaviours Chainsaw's functions expose through their results: JSON encoding
 * (encoding/json, used by `to_string`), float formatting (strconv), strings.Replace/Split/Trim,
 * path.Clean, RE2 replacement templates and base64 strictness.
 */

/** json.Marshal: object keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return goJsonString(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${goJsonString(k)}:${goJson(v)}`).join(",")}}`;
  }
  return "null";
}

function goJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A decimal string in `e` notation written out in plain digits (`1.5e+3` → `1500`). */
export function plainDecimal(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]?\d+)$/i.exec(text);
  if (!m) return text;
  const [, sign = "", int = "", frac = "", exp = "0"] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  out = out.replace(/^0+(?=\d)/, "");
  if (out.includes(".")) out = out.replace(/\.?0+$/, "");
  return sign + out;
}

/** strconv.FormatFloat(f, 'f', -1, 32): the shortest float32 digits, without exponent. */
export function formatFloat32(n: number): string {
  const f = Math.fround(n);
  if (Number.isInteger(f)) return plainDecimal(String(f));
  for (let precision = 1; precision <= 9; precision++) {
    const text = f.toPrecision(precision);
    if (Math.fround(Number(text)) === f) return plainDecimal(String(Number(text)));
  }
  return plainDecimal(String(f));
}

/** kyverno's ifaceToString: strings as is, numbers as float32 `%f`, booleans as words. */
export function ifaceToString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return formatFloat32(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  return undefined;
}

/** strings.Replace(s, old, new, n); n < 0 replaces every match, an empty `old` matches between runes. */
export function goReplace(s: string, old: string, replacement: string, n: number): string {
  if (old === replacement || n === 0) return s;
  if (old === "") {
    const runes = Array.from(s);
    const limit = n < 0 ? runes.length + 1 : Math.min(n, runes.length + 1);
    let out = "";
    for (let i = 0; i <= runes.length; i++) {
      if (i < limit) out += replacement;
      out += runes[i] ?? "";
    }
    return out;
  }
  if (n < 0) return s.split(old).join(replacement);
  let out = "";
  let rest = s;
  for (let i = 0; i < n; i++) {
    const at = rest.indexOf(old);
    if (at < 0) break;
    out += rest.slice(0, at) + replacement;
    rest = rest.slice(at + old.length);
  }
  return out + rest;
}

/** strings.Split: an empty separator splits into runes. */
export function goSplit(s: string, sep: string): string[] {
  return sep === "" ? Array.from(s) : s.split(sep);
}

/** strings.Trim(s, cutset): removes leading and trailing runes that appear in `cutset`. */
export function goTrim(s: string, cutset: string): string {
  if (s === "" || cutset === "") return s;
  const set = new Set(Array.from(cutset));
  const runes = Array.from(s);
  let start = 0;
  let end = runes.length;
  while (start < end && set.has(runes[start] ?? "")) start++;
  while (end > start && set.has(runes[end - 1] ?? "")) end--;
  return runes.slice(start, end).join("");
}

/** strings.TrimSpace: Unicode white space at both ends. */
export function goTrimSpace(s: string): string {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/gu, "");
}

/** path.Clean (filepath.Join of one element on Unix; an empty path stays empty like Join). */
export function goCleanPath(p: string): string {
  if (p === "") return "";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return `/${joined}`;
  return joined === "" ? "." : joined;
}

/** A JavaScript RegExp for an RE2 pattern: leading `(?flags)`, `(?P<name>` groups, `\A` and `\z`. */
export function goRegExp(pattern: string, global = false): RegExp {
  let source = pattern;
  let flags = global ? "g" : "";
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline?.[1]) {
    for (const f of inline[1]) if (f !== "U" && !flags.includes(f)) flags += f;
    source = source.slice(inline[0].length);
  }
  source = source.replaceAll("(?P<", "(?<").replaceAll("\\A", "^").replaceAll("\\z", "$(?![\\s\\S])");
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    return new RegExp(source, flags);
  }
}

/** Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`; `$$` is a dollar; unknown groups are empty. */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== "$") {
      out += ch;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    if (template[i + 1] === "{") {
      const close = template.indexOf("}", i + 2);
      const inner = close < 0 ? "" : template.slice(i + 2, close);
      if (/^\w+$/.test(inner)) {
        name = inner;
        end = close + 1;
      }
    } else {
      const m = /^\w+/.exec(template.slice(i + 1));
      if (m) {
        name = m[0];
        end = i + 1 + m[0].length;
      }
    }
    if (name === undefined) {
      out += "$";
      continue;
    }
    out += (/^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name]) ?? "";
    i = end - 1;
  }
  return out;
}

/** base64.StdEncoding.DecodeString: padding required, `\r` and `\n` ignored. */
export function goBase64Decode(input: string): string {
  const s = input.replace(/[\r\n]/g, "");
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) {
    const bad = s.search(/[^A-Za-z0-9+/=]/);
    throw new Error(`illegal base64 data at input byte ${bad >= 0 ? bad : s.length}`);
  }
  return Buffer.from(s, "base64").toString("utf8");
}
