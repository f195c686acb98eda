/**
 * Go's text/template, for kuttl's `.gotmpl.yaml` files: actions `{{ }}` with `{{-`/`-}}` trimming and
 * comments; pipelines with `|`; fields of maps (`.Namespace`, `.Vars.name`), `.`, `$` and variables
 * (`$x := …`, `$x = …`); `if`/`else if`/`else`, `range` (with `$i, $v :=`, `else`, `break`,
 * `continue`), `with`; and the builtins `and or not len index slice print printf println eq ne lt le
 * gt ge html js urlquery`. Values print as Go prints them: a missing map key as `<no value>`, nil as
 * `<nil>`, a list as `[a b]`, a map as `map[a:1 b:2]`. `define`, `template` and `block` are refused.
 */

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

type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pipe: Pipe; at: Pos }
  | { kind: "if" | "with"; pipe: Pipe; then: Node[]; else: Node[]; at: Pos }
  | { kind: "range"; pipe: Pipe; body: Node[]; else: Node[]; at: Pos }
  | { kind: "break" | "continue"; at: Pos };

interface Pos {
  line: number;
  col: number;
}
/** A pipeline: optional variable declaration (`:=`) or assignment (`=`), then commands joined by `|`. */
interface Pipe {
  vars: string[];
  assign: boolean;
  cmds: Operand[][];
  at: Pos;
}
/** What a field chain starts from: dot, a variable, or a parenthesized pipeline. */
type Base = { kind: "dot" } | { kind: "var"; name: string } | { kind: "pipe"; pipe: Pipe };
type Operand =
  | { kind: "field"; base: Base; fields: string[] }
  | { kind: "ident"; name: string }
  | { kind: "literal"; value: unknown };

/** Missing map keys: printed as `<no value>`, as Go prints the zero reflect.Value. */
const NO_VALUE = Symbol("no value");

/** Parses and executes `source` with `data` as dot. Throws GoTemplateError with a 1-based position. */
export function renderGoTemplate(source: string, data: unknown): string {
  return execute(parseGoTemplate(source), data);
}

/** A parsed template, checked for syntax; `execute` it with data. */
export interface ParsedGoTemplate {
  nodes: Node[];
}

export function parseGoTemplate(source: string): ParsedGoTemplate {
  const parser = new Parser(tokenize(source));
  const nodes = parser.list(new Set());
  const rest = parser.peek();
  if (rest !== undefined) throw new GoTemplateError(`unexpected {{${rest.word}}}`, rest.at.line, rest.at.col);
  return { nodes };
}

export function execute(template: ParsedGoTemplate, data: unknown): string {
  const out: string[] = [];
  try {
    run(template.nodes, { dot: data, vars: [new Map([["$", data]])] }, out);
  } catch (error) {
    if (error instanceof LoopSignal) throw new GoTemplateError(error.message, error.at.line, error.at.col);
    throw error;
  }
  return out.join("");
}

// ---------------------------------------------------------------------------------------------------
// Lexing: text and actions.

interface Token {
  /** Text between actions, or the content of an action (trimmed). */
  text: string;
  action: boolean;
  /** First word of an action (`if`, `end`, ...), for the parser. */
  word: string;
  at: Pos;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const posOf = (index: number): Pos => {
    const before = source.slice(0, index);
    const line = before.split("\n").length;
    return { line, col: index - before.lastIndexOf("\n") };
  };
  while (i < source.length) {
    const open = source.indexOf("{{", i);
    if (open < 0) {
      tokens.push({ text: source.slice(i), action: false, word: "", at: posOf(i) });
      break;
    }
    let text = source.slice(i, open);
    // Go's trim markers are `{{- ` and ` -}}`: the dash needs white space next to it.
    const trimLeft = /^\{\{-[ \t\r\n]/.test(source.slice(open, open + 4));
    if (trimLeft) text = text.replace(/\s+$/, "");
    tokens.push({ text, action: false, word: "", at: posOf(i) });
    const close = findClose(source, open + 2);
    if (close < 0) {
      const at = posOf(open);
      throw new GoTemplateError("unclosed action", at.line, at.col);
    }
    const trimRight = close >= 2 && /[ \t\r\n]-$/.test(source.slice(close - 2, close));
    const inner = source.slice(open + (trimLeft ? 3 : 2), trimRight ? close - 1 : close).trim();
    i = close + 2;
    if (trimRight) {
      const rest = source.slice(i);
      i += rest.length - rest.replace(/^\s+/, "").length;
    }
    if (inner.startsWith("/*")) {
      if (!inner.endsWith("*/")) {
        const at = posOf(open);
        throw new GoTemplateError("unclosed comment", at.line, at.col);
      }
      continue;
    }
    tokens.push({ text: inner, action: true, word: /^[a-z]+\b/.exec(inner)?.[0] ?? "", at: posOf(open) });
  }
  return tokens.filter((t) => t.action || t.text !== "");
}

/** The `}}` that closes an action, skipping quoted strings. */
function findClose(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === "\\") i++;
      continue;
    }
    if (c === "`") {
      i = source.indexOf("`", i + 1);
      if (i < 0) return -1;
      continue;
    }
    if (c === "}" && source[i + 1] === "}") return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------
// Parsing: control structure, then pipelines.

const CONTROL = new Set([
  "if",
  "else",
  "end",
  "range",
  "with",
  "break",
  "continue",
  "define",
  "template",
  "block",
]);

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  /** Nodes until one of `stops` (`end`, `else`), which is left for the caller. */
  list(stops: ReadonlySet<string>): Node[] {
    const nodes: Node[] = [];
    for (let token = this.peek(); token !== undefined; token = this.peek()) {
      if (!token.action) {
        nodes.push({ kind: "text", text: token.text });
        this.index++;
        continue;
      }
      if (stops.has(token.word)) return nodes;
      this.index++;
      nodes.push(this.action(token));
    }
    return nodes;
  }

  private action(token: Token): Node {
    const { word, at } = token;
    const rest = token.text.slice(word.length);
    switch (word) {
      case "if":
      case "with":
        return this.conditional(word, rest, at);
      case "range": {
        const pipe = parsePipe(rest, at);
        const body = this.list(new Set(["else", "end"]));
        const otherwise = this.elseBranch("range", at);
        return { kind: "range", pipe, body, else: otherwise, at };
      }
      case "break":
      case "continue":
        return { kind: word, at };
      case "end":
      case "else":
        throw new GoTemplateError(`unexpected {{${word}}}`, at.line, at.col);
      case "define":
      case "template":
      case "block":
        throw new GoTemplateError(`{{${word}}} is not supported in kuttl templates here`, at.line, at.col);
      default:
        return { kind: "action", pipe: parsePipe(token.text, at), at };
    }
  }

  private conditional(kind: "if" | "with", rest: string, at: Pos): Node {
    const pipe = parsePipe(rest, at);
    const then = this.list(new Set(["else", "end"]));
    return { kind, pipe, then, else: this.elseBranch(kind, at), at };
  }

  /** After a branch: `{{end}}`, `{{else}} … {{end}}`, or `{{else if …}}` (a nested conditional). */
  private elseBranch(kind: string, at: Pos): Node[] {
    const token = this.peek();
    if (token === undefined)
      throw new GoTemplateError(`unclosed {{${kind}}}: missing {{end}}`, at.line, at.col);
    this.index++;
    if (token.word === "end") return [];
    const rest = token.text.slice("else".length).trim();
    const chained = /^(if|with)\b/.exec(rest)?.[1];
    if (chained === "if" || chained === "with")
      return [this.conditional(chained, rest.slice(chained.length), token.at)];
    if (rest !== "")
      throw new GoTemplateError(`unexpected "${rest}" after else`, token.at.line, token.at.col);
    const body = this.list(new Set(["end"]));
    const end = this.peek();
    if (end === undefined)
      throw new GoTemplateError(`unclosed {{${kind}}}: missing {{end}}`, at.line, at.col);
    this.index++;
    return body;
  }
}

/** Words of a pipeline: strings, numbers, `(`, `)`, `|`, `:=`, `=`, `,`, fields and names. */
function words(text: string, at: Pos): string[] {
  const out: string[] = [];
  const pattern =
    /\s*("(?:\\.|[^"\\])*"|`[^`]*`|'(?:\\.|[^'\\])'|:=|[()|=,]|\)?(?:\.[A-Za-z_][\w]*)+|[^\s()|=,]+)/gy;
  let match: RegExpExecArray | null;
  let last = 0;
  while ((match = pattern.exec(text)) !== null) {
    out.push(match[1] ?? "");
    last = pattern.lastIndex;
  }
  if (text.slice(last).trim() !== "")
    throw new GoTemplateError(`cannot read "${text.slice(last).trim()}"`, at.line, at.col);
  return out;
}

function parsePipe(text: string, at: Pos): Pipe {
  const list = words(text, at);
  let vars: string[] = [];
  let assign = false;
  const decl = list.findIndex((w) => w === ":=" || w === "=");
  if (decl > 0 && list.slice(0, decl).every((w) => w === "," || w.startsWith("$"))) {
    vars = list.slice(0, decl).filter((w) => w !== ",");
    assign = list[decl] === "=";
    list.splice(0, decl + 1);
  }
  const [pipe, used] = pipeline(list, 0, at);
  if (used !== list.length) throw new GoTemplateError(`unexpected "${list[used] ?? ""}"`, at.line, at.col);
  if (pipe.length === 0) throw new GoTemplateError("missing value", at.line, at.col);
  return { vars, assign, cmds: pipe, at };
}

/** Commands from `start` until `)` or the end; returns them and the index after them. */
function pipeline(list: readonly string[], start: number, at: Pos): [Operand[][], number] {
  const cmds: Operand[][] = [];
  let cmd: Operand[] = [];
  let i = start;
  while (i < list.length && list[i] !== ")") {
    const w = list[i] ?? "";
    if (w === "|") {
      if (cmd.length === 0) throw new GoTemplateError("missing command before |", at.line, at.col);
      cmds.push(cmd);
      cmd = [];
      i++;
      continue;
    }
    if (w === "(") {
      const [inner, next] = pipeline(list, i + 1, at);
      if (list[next] !== ")") throw new GoTemplateError("unclosed (", at.line, at.col);
      const sub: Pipe = { vars: [], assign: false, cmds: inner, at };
      const fields =
        next + 1 < list.length && /^\)?\./.test(list[next + 1] ?? "") ? fieldsOf(list[next + 1] ?? "") : [];
      cmd.push({ kind: "field", base: { kind: "pipe", pipe: sub }, fields });
      i = next + 1 + (fields.length > 0 ? 1 : 0);
      continue;
    }
    cmd.push(operand(w, at));
    i++;
  }
  if (cmd.length > 0) cmds.push(cmd);
  return [cmds, i];
}

function fieldsOf(word: string): string[] {
  return word.replace(/^\)/, "").split(".").slice(1);
}

function operand(w: string, at: Pos): Operand {
  if (w === ".") return { kind: "field", base: { kind: "dot" }, fields: [] };
  if (w.startsWith(".")) return { kind: "field", base: { kind: "dot" }, fields: fieldsOf(w) };
  if (w.startsWith("$")) {
    const [name = "$", ...fields] = w.split(".");
    return { kind: "field", base: { kind: "var", name }, fields };
  }
  if (w.startsWith('"')) return { kind: "literal", value: JSON.parse(w) as string };
  if (w.startsWith("`")) return { kind: "literal", value: w.slice(1, -1) };
  if (w.startsWith("'"))
    return { kind: "literal", value: (JSON.parse(`"${w.slice(1, -1)}"`) as string).codePointAt(0) };
  if (w === "true" || w === "false") return { kind: "literal", value: w === "true" };
  if (w === "nil") return { kind: "literal", value: null };
  if (/^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0x[\da-fA-F]+)$/.test(w))
    return { kind: "literal", value: Number(w.replace(/_/g, "")) };
  if (/^[A-Za-z_]\w*$/.test(w)) {
    if (CONTROL.has(w)) throw new GoTemplateError(`unexpected {{${w}}} inside an action`, at.line, at.col);
    if (!(w in FUNCTIONS)) throw new GoTemplateError(`function "${w}" not defined`, at.line, at.col);
    return { kind: "ident", name: w };
  }
  throw new GoTemplateError(`unexpected "${w}"`, at.line, at.col);
}

// ---------------------------------------------------------------------------------------------------
// Execution.

interface Scope {
  dot: unknown;
  /** Variable frames, innermost last: `range` and `with` bodies get their own. */
  vars: Map<string, unknown>[];
}

/** `{{break}}` and `{{continue}}`, unwinding to the innermost `range`. */
class LoopSignal extends Error {
  constructor(
    readonly kind: "break" | "continue",
    readonly at: Pos,
  ) {
    super(`{{${kind}}} outside {{range}}`);
  }
}

function run(nodes: readonly Node[], scope: Scope, out: string[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case "text":
        out.push(node.text);
        break;
      case "action": {
        const value = evalPipe(node.pipe, scope);
        if (node.pipe.vars.length === 0) out.push(show(value));
        break;
      }
      case "if":
      case "with": {
        const value = evalPipe(node.pipe, scope);
        const inner: Scope = {
          dot: node.kind === "with" && truthy(value) ? value : scope.dot,
          vars: [...scope.vars, new Map<string, unknown>()],
        };
        run(truthy(value) ? node.then : node.else, inner, out);
        break;
      }
      case "range":
        runRange(node, scope, out);
        break;
      case "break":
      case "continue":
        throw new LoopSignal(node.kind, node.at);
    }
  }
}

function runRange(node: Extract<Node, { kind: "range" }>, scope: Scope, out: string[]): void {
  const { vars, ...pipe } = node.pipe;
  const value = evalPipe({ ...pipe, vars: [] }, scope);
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : isMap(value)
      ? Object.keys(value)
          .sort()
          .map((k) => [k, value[k]])
      : typeof value === "number" && Number.isInteger(value)
        ? Array.from({ length: Math.max(0, value) }, (_, i) => [i, i])
        : value === null || value === undefined || value === NO_VALUE
          ? []
          : fail(`range can't iterate over ${show(value)}`, node.at);
  if (entries.length === 0) {
    run(node.else, { dot: scope.dot, vars: [...scope.vars, new Map<string, unknown>()] }, out);
    return;
  }
  for (const [key, item] of entries) {
    const frame = new Map<string, unknown>();
    if (vars.length === 1) frame.set(vars[0] ?? "", item);
    if (vars.length === 2) {
      frame.set(vars[0] ?? "", key);
      frame.set(vars[1] ?? "", item);
    }
    try {
      run(node.body, { dot: item, vars: [...scope.vars, frame] }, out);
    } catch (signal) {
      if (!(signal instanceof LoopSignal)) throw signal;
      if (signal.kind === "break") break;
    }
  }
}

function evalPipe(pipe: Pipe, scope: Scope): unknown {
  let value: unknown = undefined;
  pipe.cmds.forEach((cmd, i) => {
    value = evalCommand(cmd, scope, pipe.at, i === 0 ? [] : [value]);
  });
  for (const name of pipe.vars) {
    if (pipe.assign) {
      const frame = [...scope.vars].reverse().find((f) => f.has(name));
      if (frame === undefined) fail(`undefined variable: ${name}`, pipe.at);
      frame.set(name, value);
    } else scope.vars[scope.vars.length - 1]?.set(name, value);
  }
  return value;
}

function evalCommand(cmd: readonly Operand[], scope: Scope, at: Pos, piped: unknown[]): unknown {
  const [head, ...args] = cmd;
  if (head === undefined) return undefined;
  if (head.kind === "ident") {
    const fn = FUNCTIONS[head.name];
    if (fn === undefined) return fail(`function "${head.name}" not defined`, at);
    if (head.name === "and" || head.name === "or") {
      // Short-circuit, as Go's: the first falsy (and) or truthy (or) argument, else the last.
      const all = [...args, ...piped.map((v) => ({ kind: "literal", value: v }) as const)];
      let last: unknown = undefined;
      for (const arg of all) {
        last = evalOperand(arg, scope, at);
        if (head.name === "and" ? !truthy(last) : truthy(last)) return last;
      }
      return last;
    }
    return fn([...args.map((a) => evalOperand(a, scope, at)), ...piped], at);
  }
  if (args.length > 0 || piped.length > 0) return fail(`can't give arguments to a non-function value`, at);
  return evalOperand(head, scope, at);
}

function evalOperand(op: Operand, scope: Scope, at: Pos): unknown {
  switch (op.kind) {
    case "literal":
      return op.value;
    case "ident": {
      const fn = FUNCTIONS[op.name];
      return fn === undefined ? fail(`function "${op.name}" not defined`, at) : fn([], at);
    }
    case "field": {
      let value: unknown;
      const { base } = op;
      if (base.kind === "dot") value = scope.dot;
      else if (base.kind === "var") {
        const frame = [...scope.vars].reverse().find((f) => f.has(base.name));
        if (frame === undefined) return fail(`undefined variable: ${base.name}`, at);
        value = frame.get(base.name);
      } else value = evalPipe(base.pipe, scope);
      for (const field of op.fields) {
        if (isMap(value)) value = field in value ? value[field] : NO_VALUE;
        else if (value === null || value === undefined || value === NO_VALUE)
          return fail(`nil pointer evaluating interface {}.${field}`, at);
        else return fail(`can't evaluate field ${field} in type ${goType(value)}`, at);
      }
      return value;
    }
  }
}

function fail(message: string, at: Pos): never {
  throw new GoTemplateError(message, at.line, at.col);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === NO_VALUE || value === false) return false;
  if (value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

function goType(value: unknown): string {
  if (typeof value === "string") return "string";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float64";
  if (typeof value === "boolean") return "bool";
  if (Array.isArray(value)) return "[]interface {}";
  return "map[string]interface {}";
}

/** fmt's %v. */
function show(value: unknown): string {
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
function inner(value: unknown): string {
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

const FUNCTIONS: Record<string, Fn> = {
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
