import { pyJson, pyStr, Undefined } from "./python-values.ts";

export { Undefined };

/**
 * The part of Jinja2 vk-test-set templates use, rendered as `Environment()` renders it: `{{ expr }}`
 * (names, `.attr`, `[key]`, literals, filters), `{# comments #}`, `-` whitespace control, default
 * `Undefined` (an unknown name renders as the empty string; using it further is an error), no
 * `keep_trailing_newline`. Statements (`{% %}`) are refused with their position: no template in the
 * wild uses them, and a renderer that half-supports them would give verdicts Jinja2 does not.
 *
 * Rendering keeps a map from each offset of the output to the template offset it came from, so that
 * a YAML or schema error in the rendered text points at the template's own line and column.
 */

export class JinjaError extends Error {
  override name = "JinjaError";
  constructor(
    message: string,
    /** Offset in the template. */
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** One piece of output: literal template text (`literal`) or what an expression printed. */
interface Segment {
  out: number;
  src: number;
  literal: boolean;
}

export interface Rendered {
  text: string;
  /** The template offset an output offset came from (an expression's output maps to its `{{`). */
  sourceOffset(outOffset: number): number;
}

export const FILTERS = ["tojson", "default", "d", "lower", "upper", "trim", "string"] as const;

export function renderJinja(template: string, context: Record<string, unknown>): Rendered {
  const source = template.replace(/\r\n?/g, "\n");
  const segments: Segment[] = [];
  let text = "";
  const emit = (piece: string, src: number, literal: boolean): void => {
    if (piece === "") return;
    segments.push({ out: text.length, src, literal });
    text += piece;
  };
  let at = 0;
  let trimNext = false;
  const open = /\{\{|\{#|\{%/g;
  for (;;) {
    open.lastIndex = at;
    const m = open.exec(source);
    const literalEnd = m ? m.index : source.length;
    const trimBefore = m !== null && source[m.index + 2] === "-";
    let literal = source.slice(at, literalEnd);
    let literalStart = at;
    if (trimNext) {
      const kept = literal.replace(/^\s+/, "");
      literalStart += literal.length - kept.length;
      literal = kept;
    }
    if (trimBefore) literal = literal.replace(/\s+$/, "");
    emit(literal, literalStart, true);
    if (!m) break;
    const kind = m[0];
    const close = kind === "{{" ? "}}" : kind === "{#" ? "#}" : "%}";
    const end = source.indexOf(close, m.index + 2);
    if (end < 0)
      throw new JinjaError(`unclosed ${kind}: no ${close} follows`, m.index, `close it with ${close}`);
    if (kind === "{%")
      throw new JinjaError(
        "statements ({% ... %}) are not supported: kubeproof renders the Jinja2 subset vk-test-set templates use ({{ expressions }}, filters, {# comments #})",
        m.index,
        "write the manifest without the statement, or open an issue with the template",
      );
    const innerStart = m.index + 2 + (trimBefore ? 1 : 0);
    const trimAfter = source[end - 1] === "-" && end - 1 >= innerStart;
    const innerEnd = trimAfter ? end - 1 : end;
    if (kind === "{{") {
      const value = new ExpressionParser(source, innerStart, innerEnd, context).parseAll();
      emit(pyStr(value), m.index, false);
    }
    trimNext = trimAfter;
    at = end + 2;
  }
  // keep_trailing_newline=False: Jinja2 drops one trailing newline of the template.
  if (text.endsWith("\n") && source.endsWith("\n")) text = text.slice(0, -1);
  return {
    text,
    sourceOffset(outOffset) {
      let lo = 0;
      let hi = segments.length - 1;
      if (hi < 0) return 0;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid].out <= outOffset) lo = mid;
        else hi = mid - 1;
      }
      const seg = segments[lo];
      return seg.literal ? seg.src + Math.max(0, outOffset - seg.out) : seg.src;
    },
  };
}

type Token =
  | { kind: "name"; value: string; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "op"; value: string; at: number };

const TOKEN =
  /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\d+(?:\.\d+)?)|([.|()[\],=]))/y;

/** Parses and evaluates one `{{ }}` expression (a tiny recursive-descent parser; values are Python-like). */
class ExpressionParser {
  private readonly tokens: Token[] = [];
  private pos = 0;

  constructor(
    source: string,
    private readonly start: number,
    private readonly end: number,
    private readonly context: Record<string, unknown>,
  ) {
    const inner = source.slice(start, end);
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < inner.length) {
      if (/^\s*$/.test(inner.slice(TOKEN.lastIndex))) break;
      const from = TOKEN.lastIndex;
      const m = TOKEN.exec(inner);
      if (!m) {
        const bad = from + (/^\s*/.exec(inner.slice(from))?.[0].length ?? 0);
        throw new JinjaError(`unexpected character ${JSON.stringify(inner[bad])} in expression`, start + bad);
      }
      const at = start + m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? "").length;
      if (m[1] !== undefined) this.tokens.push({ kind: "name", value: m[1], at });
      else if (m[2] !== undefined) this.tokens.push({ kind: "string", value: unquote(m[2]), at });
      else if (m[3] !== undefined) this.tokens.push({ kind: "number", value: Number(m[3]), at });
      else this.tokens.push({ kind: "op", value: m[4], at });
    }
  }

  parseAll(): unknown {
    if (this.tokens.length === 0) throw new JinjaError("expected an expression", this.start);
    const value = this.filtered();
    const extra = this.tokens[this.pos];
    if (extra) throw new JinjaError(`unexpected ${JSON.stringify(tokenText(extra))} in expression`, extra.at);
    return value;
  }

  private filtered(): unknown {
    let value = this.postfix();
    while (this.peekOp("|")) {
      this.pos += 1;
      const name = this.expect("name");
      const args: unknown[] = [];
      if (this.peekOp("(")) {
        this.pos += 1;
        while (!this.peekOp(")")) {
          args.push(this.filtered());
          if (this.peekOp(",")) this.pos += 1;
          else if (!this.peekOp(")")) this.fail("expected , or )");
        }
        this.pos += 1;
      }
      value = applyFilter(name, value, args);
    }
    return value;
  }

  private postfix(): unknown {
    let value = this.primary();
    for (;;) {
      if (this.peekOp(".")) {
        this.pos += 1;
        const attr = this.expect("name");
        value = getItem(value, attr.value, attr.at);
      } else if (this.peekOp("[")) {
        const open = this.tokens[this.pos];
        this.pos += 1;
        const key = this.filtered();
        if (!this.peekOp("]")) this.fail("expected ]");
        this.pos += 1;
        value = getItem(value, key, open.at);
      } else return value;
    }
  }

  private primary(): unknown {
    const token = this.tokens[this.pos];
    if (!token) return this.fail("expected a value");
    this.pos += 1;
    switch (token.kind) {
      case "string":
      case "number":
        return token.value;
      case "name":
        if (token.value === "true" || token.value === "True") return true;
        if (token.value === "false" || token.value === "False") return false;
        if (token.value === "none" || token.value === "None") return null;
        return Object.hasOwn(this.context, token.value)
          ? this.context[token.value]
          : new Undefined(token.value);
      case "op":
        if (token.value === "(") {
          const value = this.filtered();
          if (!this.peekOp(")")) this.fail("expected )");
          this.pos += 1;
          return value;
        }
        throw new JinjaError(`unexpected ${JSON.stringify(token.value)} in expression`, token.at);
    }
  }

  private expect(kind: "name"): Extract<Token, { kind: "name" }> {
    const token = this.tokens[this.pos];
    if (token?.kind !== kind) return this.fail(`expected a ${kind}`);
    this.pos += 1;
    return token;
  }

  private peekOp(op: string): boolean {
    const token = this.tokens[this.pos];
    return token?.kind === "op" && token.value === op;
  }

  private fail(message: string): never {
    const token = this.tokens[this.pos];
    throw new JinjaError(message, token?.at ?? this.end);
  }
}

function tokenText(token: Token): string {
  return String(token.value);
}

function unquote(literal: string): string {
  return literal
    .slice(1, -1)
    .replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : c));
}

/** Jinja2's getattr-then-getitem; a missing key is Undefined, anything on Undefined an error. */
function getItem(value: unknown, key: unknown, at: number): unknown {
  if (value instanceof Undefined)
    throw new JinjaError(
      `'${value.name}' is undefined`,
      at,
      `give ${value.name} a value in vktest_config.yaml`,
    );
  if (Array.isArray(value) && typeof key === "number")
    return value[key < 0 ? value.length + key : key] ?? new Undefined(String(key));
  if (value !== null && typeof value === "object" && typeof key === "string" && Object.hasOwn(value, key))
    return (value as Record<string, unknown>)[key];
  return new Undefined(String(key));
}

function applyFilter(name: Extract<Token, { kind: "name" }>, value: unknown, args: unknown[]): unknown {
  switch (name.value) {
    case "tojson":
      if (value instanceof Undefined)
        throw new JinjaError(
          `tojson: '${value.name}' is undefined (Object of type Undefined is not JSON serializable)`,
          name.at,
          `give ${value.name} a value in vktest_config.yaml`,
        );
      return pyJson(value);
    case "default":
    case "d": {
      const [fallback = "", boolean = false] = args;
      const missing = value instanceof Undefined || (boolean === true && !truthy(value));
      return missing ? fallback : value;
    }
    case "lower":
      return pyStr(value).toLowerCase();
    case "upper":
      return pyStr(value).toUpperCase();
    case "trim":
      return pyStr(value).trim();
    case "string":
      return pyStr(value);
    default:
      throw new JinjaError(
        `no filter named '${name.value}'`,
        name.at,
        `kubeproof supports ${FILTERS.join(", ")}`,
      );
  }
}

function truthy(value: unknown): boolean {
  if (value instanceof Undefined || value === null || value === false || value === 0 || value === "")
    return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}
