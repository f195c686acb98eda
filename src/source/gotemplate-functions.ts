/** Values as Go's text/template sees and prints them, and its builtin functions. */

export class GoTemplateError extends Error {
  override name = "GoTemplateError";
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

/** A 1-based position in the template source. */
export interface Pos {
  line: number;
  col: number;
}

/** Missing map keys: printed as `<no value>`, as Go prints the zero reflect.Value. */
export const NO_VALUE = Symbol("no value");

export function fail(message: string, at: Pos): never {
  throw new GoTemplateError(message, at.line, at.col);
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === NO_VALUE || value === false) return false;
  if (value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

export function goType(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float64";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "[]interface {}";
  return "map[string]interface {}";
}

/** fmt's %v. */
export function show(value: unknown): string {
  if (value === NO_VALUE || value === undefined) return "<no value>";
  if (value === null) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(inner).join(" ")}]`;
  if (isMap(value))
    return `map[${Object.keys(value)
      .sort()
      .map((k) => `${k}:${inner(value[k])}`)
      .join(" ")}]`;
  return JSON.stringify(value) ?? "";
}

/** %v inside a list or map, where nil prints as `<nil>` too. */
export function inner(value: unknown): string {
  return value === undefined || value === NO_VALUE ? "<nil>" : show(value);
}

// ---------------------------------------------------------------------------------------------------
// Builtins.

type Fn = (args: unknown[], at: Pos) => unknown;

function compare(args: unknown[], at: Pos): [unknown, unknown] {
  if (args.length !== 2) fail(`wrong number of args: want 2 got ${args.length}`, at);
  const [a, b] = args;
  if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string"))
    fail(`incompatible types for comparison`, at);
  return [a, b];
}

export const FUNCTIONS: Record<string, Fn> = {
  and: () => undefined,
  or: () => undefined,
  not: ([v]) => !truthy(v),
  len: ([v], at) =>
    typeof v === "string"
      ? new TextEncoder().encode(v).length
      : Array.isArray(v)
        ? v.length
        : isMap(v)
          ? Object.keys(v).length
          : fail(`len of ${goType(v)}`, at),
  index: ([v, ...keys], at) => {
    let value = v;
    for (const key of keys) {
      if (Array.isArray(value) && typeof key === "number") {
        if (key < 0 || key >= value.length) fail(`index out of range: ${key}`, at);
        value = value[key];
      } else if (isMap(value) && typeof key === "string") value = key in value ? value[key] : NO_VALUE;
      else if (value === null || value === undefined || value === NO_VALUE) fail("index of untyped nil", at);
      else fail(`can't index item of type ${goType(value)}`, at);
    }
    return value;
  },
  slice: ([v, ...bounds], at) => {
    if (typeof v !== "string" && !Array.isArray(v)) return fail(`can't slice item of type ${goType(v)}`, at);
    const [from = 0, to = v.length] = bounds as number[];
    return v.slice(from, to);
  },
  print: (args) =>
    args
      .map((a, i) => (i > 0 && typeof a !== "string" && typeof args[i - 1] !== "string" ? " " : "") + show(a))
      .join(""),
  println: (args) => `${args.map(show).join(" ")}\n`,
  printf: ([format, ...args], at) =>
    sprintf(typeof format === "string" ? format : fail("printf needs a format string", at), args),
  eq: (args, at) => {
    if (args.length < 2) fail("missing argument for comparison", at);
    const [a, ...rest] = args;
    return rest.some((b) => b === a || (a === NO_VALUE && b === null));
  },
  ne: (args, at) => {
    const [a, b] = compareAny(args, at);
    return a !== b;
  },
  lt: (args, at) => {
    const [a, b] = compare(args, at) as [number, number];
    return a < b;
  },
  le: (args, at) => {
    const [a, b] = compare(args, at) as [number, number];
    return a <= b;
  },
  gt: (args, at) => {
    const [a, b] = compare(args, at) as [number, number];
    return a > b;
  },
  ge: (args, at) => {
    const [a, b] = compare(args, at) as [number, number];
    return a >= b;
  },
  html: (args) =>
    args
      .map(show)
      .join("")
      .replace(
        /[&'<>"\0]/g,
        (c) =>
          ({ "&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "\0": "\uFFFD" })[c] ?? c,
      ),
  js: (args) =>
    args
      .map(show)
      .join("")
      .replace(/[\\'"<>&=]/g, (c) =>
        c === "\\" || c === "'" || c === '"'
          ? `\\${c}`
          : `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`,
      ),
  urlquery: (args) => encodeURIComponent(args.map(show).join("")).replace(/%20/g, "+"),
};

function compareAny(args: unknown[], at: Pos): [unknown, unknown] {
  if (args.length !== 2) fail(`wrong number of args: want 2 got ${args.length}`, at);
  return [args[0], args[1]];
}

/** fmt.Sprintf for the verbs templates use: %s %d %v %q %f %t %x %%, with a width and precision. */
function sprintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  return format.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdvqftxX%])/g,
    (_all, flags: string, width?: string, precision?: string, verb?: string) => {
      if (verb === "%") return "%";
      if (next >= args.length) return `%!${verb}(MISSING)`;
      const arg = args[next++];
      let text: string;
      switch (verb) {
        case "d":
          text = typeof arg === "number" ? String(Math.trunc(arg)) : `%!d(${goType(arg)}=${show(arg)})`;
          break;
        case "f":
          text =
            typeof arg === "number"
              ? arg.toFixed(precision === undefined ? 6 : Number(precision))
              : `%!f(${goType(arg)}=${show(arg)})`;
          break;
        case "q":
          text = JSON.stringify(show(arg));
          break;
        case "x":
        case "X": {
          const hex =
            typeof arg === "number"
              ? arg.toString(16)
              : [...new TextEncoder().encode(show(arg))].map((b) => b.toString(16).padStart(2, "0")).join("");
          text = verb === "X" ? hex.toUpperCase() : hex;
          break;
        }
        default:
          text = show(arg);
          if (verb === "s" && precision !== undefined) text = text.slice(0, Number(precision));
      }
      const pad = Number(width ?? 0) - text.length;
      if (pad <= 0) return text;
      return flags.includes("-")
        ? text + " ".repeat(pad)
        : (flags.includes("0") && verb !== "s" ? "0" : " ").repeat(pad) + text;
    },
  );
}
