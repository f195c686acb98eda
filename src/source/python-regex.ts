/**
 * Python `re` patterns (as vk-test-set's check_logs passes them to `re.findall`) as JavaScript
 * RegExps with the same matches, or a refusal with the offset in the pattern and what to write
 * instead. Translated: named groups and back-references, `\A` / `\Z`, Python's `$` (also before a
 * final newline), `.` (everything but `\n`), leading inline flags (i, m, s, a, u), `(?#...)`
 * comments, `{,n}`, `\U` escapes, a `]` first in a class. Refused: what JavaScript has no equivalent
 * for (verbose mode, scoped flags, conditionals, atomic groups, possessive quantifiers, `\N{...}`).
 * `\w`, `\d` and `\b` are ASCII in JavaScript; Python's are Unicode unless `(?a)`: the same for ASCII logs.
 */

export type PythonRegex =
  { ok: true; source: string; flags: string } | { ok: false; offset: number; message: string; hint: string };

const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

export function translatePythonRegex(pattern: string): PythonRegex {
  let i = 0;
  const flags = new Set<string>();
  // Global inline flags: Python 3.11+ accepts them only at the start.
  for (let m = INLINE_FLAGS.exec(pattern); m; m = INLINE_FLAGS.exec(pattern.slice(i))) {
    for (const f of m[1]) {
      if (f === "x")
        return refuse(
          i,
          "verbose mode (?x) has no JavaScript equivalent",
          "write the pattern without (?x), its whitespace and # comments",
        );
      if (f === "L") return refuse(i, "locale mode (?L) has no JavaScript equivalent", "remove (?L)");
      if (f === "i" || f === "m" || f === "s") flags.add(f);
    }
    i += m[0].length;
  }
  const multiline = flags.has("m");
  const dotAll = flags.has("s");
  let out = "";
  let inClass = false;
  let classStart = -1;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "\\") {
      const escaped = escape(pattern, i, inClass);
      if (!escaped.ok) return escaped;
      out += escaped.text;
      i = escaped.next;
      continue;
    }
    if (inClass) {
      if (c === "]" && i > classStart) inClass = false;
      if (c === "[") out += "\\[";
      else out += c;
      i += 1;
      continue;
    }
    switch (c) {
      case "[": {
        inClass = true;
        out += "[";
        i += 1;
        if (pattern[i] === "^") {
          out += "^";
          i += 1;
        }
        // A `]` first in a class is a literal in Python; in JavaScript `[]` is the empty class.
        if (pattern[i] === "]") {
          out += "\\]";
          i += 1;
        }
        classStart = i;
        continue;
      }
      case "(": {
        const group = groupStart(pattern, i);
        if (!group.ok) return group;
        out += group.text;
        i = group.next;
        continue;
      }
      case "$":
        out += multiline ? "$" : "(?=\\n?(?![\\s\\S]))";
        i += 1;
        continue;
      case ".":
        out += dotAll ? "." : "[^\\n]";
        i += 1;
        continue;
      case "{": {
        const q = /^\{(\d*)(,?)(\d*)\}/.exec(pattern.slice(i));
        if (q && (q[1] !== "" || q[3] !== "")) {
          out += `{${q[1] === "" ? "0" : q[1]}${q[2]}${q[3]}}`;
          i += q[0].length;
          if (pattern[i] === "+")
            return refuse(
              i,
              "possessive quantifiers have no JavaScript equivalent",
              "drop the + after the quantifier",
            );
        } else {
          out += "\\{";
          i += 1;
        }
        continue;
      }
      case "}":
        out += "\\}";
        i += 1;
        continue;
      case "*":
      case "+":
      case "?":
        out += c;
        i += 1;
        if (pattern[i] === "+")
          return refuse(
            i,
            "possessive quantifiers have no JavaScript equivalent",
            "drop the + after the quantifier",
          );
        continue;
      default:
        out += c;
        i += 1;
    }
  }
  if (inClass) return refuse(classStart - 1, "unterminated character set", "close it with ]");
  return { ok: true, source: out, flags: [...flags].sort().join("") };
}

type Piece = { ok: true; text: string; next: number } | Extract<PythonRegex, { ok: false }>;

function refuse(offset: number, message: string, hint: string): Extract<PythonRegex, { ok: false }> {
  return { ok: false, offset, message, hint };
}

/** `(`: a plain group, or one of Python's `(?...)` forms. */
function groupStart(p: string, i: number): Piece {
  if (p[i + 1] !== "?") return { ok: true, text: "(", next: i + 1 };
  const rest = p.slice(i + 2);
  const named = /^P<([A-Za-z_]\w*)>/.exec(rest);
  if (named) return { ok: true, text: `(?<${named[1]}>`, next: i + 2 + named[0].length };
  const backref = /^P=([A-Za-z_]\w*)\)/.exec(rest);
  if (backref) return { ok: true, text: `\\k<${backref[1]}>`, next: i + 2 + backref[0].length };
  if (rest.startsWith("#")) {
    const end = p.indexOf(")", i);
    if (end < 0) return refuse(i, "unterminated comment (?#", "close it with )");
    return { ok: true, text: "", next: end + 1 };
  }
  for (const plain of [":", "=", "!", "<=", "<!"])
    if (rest.startsWith(plain)) return { ok: true, text: `(?${plain}`, next: i + 2 + plain.length };
  if (rest.startsWith(">"))
    return refuse(i, "atomic groups (?>...) have no JavaScript equivalent", "use a plain group (?:...)");
  if (rest.startsWith("("))
    return refuse(
      i,
      "conditional groups (?(id)yes|no) have no JavaScript equivalent",
      "write the alternatives with |",
    );
  if (/^[-aiLmsux]+[:)]/.test(rest))
    return refuse(
      i,
      "inline flags are only translated at the start of the pattern",
      "move the flags to the start, as (?i)..., or spell the case out, e.g. [Hh]ello",
    );
  return refuse(i, `unknown extension (?${rest[0] ?? ""}`, "check the pattern against Python's re syntax");
}

/** A backslash escape, Python's meaning in JavaScript's spelling. */
function escape(p: string, i: number, inClass: boolean): Piece {
  const c = p[i + 1];
  if (c === undefined) return refuse(i, "a pattern cannot end with a backslash", "escape it as \\\\");
  switch (c) {
    case "A":
      return inClass
        ? refuse(i, "bad escape \\A in a character set", "remove it")
        : { ok: true, text: "(?<![\\s\\S])", next: i + 2 };
    case "Z":
      return inClass
        ? refuse(i, "bad escape \\Z in a character set", "remove it")
        : { ok: true, text: "(?![\\s\\S])", next: i + 2 };
    case "N":
      return refuse(
        i,
        "named characters \\N{...} have no JavaScript equivalent",
        "write the character itself or \\uXXXX",
      );
    case "U": {
      const hex = /^[0-9a-fA-F]{8}/.exec(p.slice(i + 2));
      if (!hex) return refuse(i, "\\U needs eight hex digits", "write \\U0001F600 or the character itself");
      const ch = String.fromCodePoint(parseInt(hex[0], 16));
      return { ok: true, text: ch.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"), next: i + 10 };
    }
    case "z":
    case "G":
    case "h":
    case "K":
    case "R":
    case "X":
      return refuse(
        i,
        `bad escape \\${c}: Python's re does not know it`,
        `write \\\\${c} for a backslash and ${c}`,
      );
    default:
      return { ok: true, text: `\\${c}`, next: i + 2 };
  }
}
