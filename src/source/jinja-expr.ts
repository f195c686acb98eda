import { pyJson, pyStr, Undefined } from "./python-values.ts";

/**
 * Jinja2 expressions as vk-test-set templates write them, evaluated with Python's semantics: names,
 * `.attr`, `[key]`, literals (strings, numbers, lists, dicts), calls of the global `dict` and of a
 * dict's `update` / `get` / `copy` methods (what `{% set %}` lines use to extend `annotations`), and
 * the filters below. `renderJinja` (jinja.ts) drives it.
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

export const FILTERS = ["tojson", "default", "d", "lower", "upper", "trim", "string"] as const;

/** Something a template can call: the `dict` global or a dict's method, bound to its dict. */
class PyCallable {
  constructor(
    readonly name: string,
    readonly call: (args: unknown[], kwargs: Record<string, unknown>, at: number) => unknown,
  ) {}
}

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !(value instanceof Undefined) &&
    !(value instanceof PyCallable)
  );
}

/** Python's `dict(mapping_or_pairs, **kwargs)` / `d.update(...)`: the entries it adds, in order. */
function dictEntries(args: unknown[], kwargs: Dict, name: string, at: number): Dict {
  if (args.length > 1) throw new JinjaError(`${name} expected at most 1 argument, got ${args.length}`, at);
  const out: Dict = {};
  const [first] = args;
  if (isDict(first)) Object.assign(out, first);
  else if (Array.isArray(first))
    for (const pair of first) {
      if (!Array.isArray(pair) || pair.length !== 2)
        throw new JinjaError(`${name}: each element must be a (key, value) pair`, at);
      out[pyStr(pair[0])] = pair[1];
    }
  else if (first !== undefined) throw new JinjaError(`${name}: ${pyStr(first)} is not a mapping`, at);
  return Object.assign(out, kwargs);
}

const GLOBALS: Dict = {
  dict: new PyCallable("dict", (args, kwargs, at) => dictEntries(args, kwargs, "dict", at)),
};

/** A dict's methods the templates use; Jinja2 looks attributes up before items, so these win. */
function dictMethod(dict: Dict, name: string): PyCallable | undefined {
  switch (name) {
    case "update":
      return new PyCallable("update", (args, kwargs, at) => {
        Object.assign(dict, dictEntries(args, kwargs, "update", at));
        return null;
      });
    case "get":
      return new PyCallable("get", (args) =>
        typeof args[0] === "string" && Object.hasOwn(dict, args[0]) ? dict[args[0]] : (args[1] ?? null),
      );
    case "copy":
      return new PyCallable("copy", () => ({ ...dict }));
    default:
      return undefined;
  }
}

type Token =
  | { kind: "name"; value: string; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "op"; value: string; at: number };

const TOKEN =
  /\s*(?:([A-Za-z_][A-Za-z0-9_]*)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\d+(?:\.\d+)?)|([.|()[\]{},:=]))/y;

/** Parses and evaluates one expression (a tiny recursive-descent parser; values are Python-like). */
export class ExpressionParser {
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
    if (extra)
      throw new JinjaError(`unexpected ${JSON.stringify(String(extra.value))} in expression`, extra.at);
    if (value instanceof PyCallable)
      throw new JinjaError(`${value.name} is a function: call it with ()`, this.start);
    return value;
  }

  private filtered(): unknown {
    let value = this.postfix();
    while (this.peekOp("|")) {
      this.pos += 1;
      const name = this.expect("name");
      const { args } = this.peekOp("(") ? this.callArgs() : { args: [] };
      value = applyFilter(name, value, args);
    }
    return value;
  }

  /** `( a, b, key=value )`, the `(` at the current token. */
  private callArgs(): { args: unknown[]; kwargs: Dict } {
    this.pos += 1;
    const args: unknown[] = [];
    const kwargs: Dict = {};
    while (!this.peekOp(")")) {
      const token = this.tokens[this.pos];
      const next = this.tokens[this.pos + 1];
      if (token?.kind === "name" && next?.kind === "op" && next.value === "=") {
        this.pos += 2;
        kwargs[token.value] = this.filtered();
      } else args.push(this.filtered());
      if (this.peekOp(",")) this.pos += 1;
      else if (!this.peekOp(")")) this.fail("expected , or )");
    }
    this.pos += 1;
    return { args, kwargs };
  }

  private postfix(): unknown {
    let value = this.primary();
    for (;;) {
      if (this.peekOp(".")) {
        this.pos += 1;
        const attr = this.expect("name");
        value =
          (isDict(value) ? dictMethod(value, attr.value) : undefined) ?? getItem(value, attr.value, attr.at);
      } else if (this.peekOp("[")) {
        const open = this.tokens[this.pos];
        this.pos += 1;
        const key = this.filtered();
        if (!this.peekOp("]")) this.fail("expected ]");
        this.pos += 1;
        value = getItem(value, key, open.at);
      } else if (this.peekOp("(")) {
        const open = this.tokens[this.pos];
        const { args, kwargs } = this.callArgs();
        if (!(value instanceof PyCallable))
          throw new JinjaError(
            value instanceof Undefined ? `'${value.name}' is undefined` : `${pyStr(value)} is not callable`,
            open.at,
          );
        value = value.call(args, kwargs, open.at);
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
        if (Object.hasOwn(this.context, token.value)) return this.context[token.value];
        return Object.hasOwn(GLOBALS, token.value) ? GLOBALS[token.value] : new Undefined(token.value);
      case "op":
        return this.bracketed(token);
    }
  }

  /** `( expr )`, a list `[a, b]` or a dict `{k: v}`, the opening token already taken. */
  private bracketed(token: Extract<Token, { kind: "op" }>): unknown {
    if (token.value === "(") {
      const value = this.filtered();
      if (!this.peekOp(")")) this.fail("expected )");
      this.pos += 1;
      return value;
    }
    if (token.value === "[" || token.value === "{") {
      const close = token.value === "[" ? "]" : "}";
      const list: unknown[] = [];
      const dict: Dict = {};
      while (!this.peekOp(close)) {
        const item = this.filtered();
        if (close === "}") {
          if (!this.peekOp(":")) this.fail("expected : in a dict");
          this.pos += 1;
          dict[pyStr(item)] = this.filtered();
        } else list.push(item);
        if (this.peekOp(",")) this.pos += 1;
        else if (!this.peekOp(close)) this.fail(`expected , or ${close}`);
      }
      this.pos += 1;
      return close === "]" ? list : dict;
    }
    throw new JinjaError(`unexpected ${JSON.stringify(token.value)} in expression`, token.at);
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
  if (isDict(value) && typeof key === "string" && Object.hasOwn(value, key)) return value[key];
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
