import { GoTemplateError, type Pos } from "./gotemplate-functions.ts";
import { TEMPLATE_FUNCTIONS } from "./gotemplate-sprig.ts";

/** Go's text/template syntax: text and actions, control structure, pipelines. */

export type Node =
  | { kind: "text"; text: string }
  | { kind: "action"; pipe: Pipe; at: Pos }
  | { kind: "if" | "with"; pipe: Pipe; then: Node[]; else: Node[]; at: Pos }
  | { kind: "range"; pipe: Pipe; body: Node[]; else: Node[]; at: Pos }
  | { kind: "break" | "continue"; at: Pos };

/** A pipeline: optional variable declaration (`:=`) or assignment (`=`), then commands joined by `|`. */
export interface Pipe {
  vars: string[];
  assign: boolean;
  cmds: Operand[][];
  at: Pos;
}
/** What a field chain starts from: dot, a variable, or a parenthesized pipeline. */
type Base = { kind: "dot" } | { kind: "var"; name: string } | { kind: "pipe"; pipe: Pipe };
export type Operand =
  | { kind: "field"; base: Base; fields: string[] }
  | { kind: "ident"; name: string }
  | { kind: "literal"; value: unknown };

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
    if (!(w in TEMPLATE_FUNCTIONS)) throw new GoTemplateError(`function "${w}" not defined`, at.line, at.col);
    return { kind: "ident", name: w };
  }
  throw new GoTemplateError(`unexpected "${w}"`, at.line, at.col);
}
