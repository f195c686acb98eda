/**
 * The key/value syntax of assertion trees and templates, exactly as kyverno-json parses it
 * (kyverno-json pkg/core/expression/expression.go, used by Chainsaw's checks and templating):
 *
 *   ~name.(statement)->binding
 *
 * - `~` (foreach) and an optional index/key binding name, then a dot;
 * - `->name` binds the projected value for descendants;
 * - `\text\` escapes: the text is taken literally, never evaluated;
 * - `(statement)` is an expression; `(engine;statement)` selects the engine (`jp` or `cel`); without
 *   one, the `compiler` in force decides (JMESPath unless a test, step or operation says cel).
 *
 * The regular expressions are the Go ones verbatim; JavaScript's `.` matches like RE2's default
 * (no newline) and both are leftmost-first, so the same strings parse the same way.
 */

const FOREACH = /^~(\w+)?\.(.*)/;
const BINDING = /(.*)\s*->\s*(\w+)$/;
const ESCAPE = /^\\(.+)\\$/;
const ENGINE = /^\((?:(\w+);)?(.+)\)$/;

export const DEFAULT_ENGINE = "jp";

export interface ParsedExpression {
  /** `~` modifier: descendants receive each element (or map value) instead of the whole value. */
  foreach: boolean;
  /** `~name.`: `$name` is bound to the element index (arrays) or key (maps). */
  foreachName?: string;
  /** `->name`: `$name` is bound to the projected value. */
  binding?: string;
  /** Set when the text is an expression: `jp` (JMESPath) unless `(engine;...)` says otherwise. */
  engine?: string;
  /** The engine written as `(engine;...)`, when one was. */
  explicitEngine?: string;
  /** The expression to evaluate when `engine` is set, otherwise the literal text (escapes removed). */
  statement: string;
}

export function parseExpression(input: string): ParsedExpression {
  const out: ParsedExpression = { foreach: false, statement: input };
  let rest = input;
  const foreach = FOREACH.exec(rest);
  if (foreach) {
    out.foreach = true;
    if (foreach[1] !== undefined) out.foreachName = foreach[1];
    rest = foreach[2] ?? "";
  }
  const binding = BINDING.exec(rest);
  if (binding) {
    out.binding = binding[2];
    rest = binding[1] ?? "";
  }
  const escape = ESCAPE.exec(rest);
  if (escape) {
    rest = escape[1] ?? "";
  } else {
    const engine = ENGINE.exec(rest);
    if (engine) {
      out.engine = engine[1] ?? DEFAULT_ENGINE;
      if (engine[1] !== undefined) out.explicitEngine = engine[1];
      rest = engine[2] ?? "";
    }
  }
  out.statement = rest;
  return out;
}

/**
 * Chainsaw's templating view of a scalar (chainsaw pkg/mutate/expression.go, pkg/expressions/parse.go):
 * the JMESPath statement to evaluate, or `undefined` when the value is kept as written. An empty
 * statement is never an expression.
 */
export function templateExpression(
  value: unknown,
): { engine: string | undefined; statement: string } | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = parseExpression(value);
  if (parsed.engine === undefined || parsed.statement === "") return undefined;
  return { engine: parsed.explicitEngine, statement: parsed.statement };
}

/**
 * The view used for plain string fields (names, namespaces, env values: chainsaw pkg/expressions):
 * only escapes and `(engine;statement)` are recognised, `~` and `->` are not.
 */
export function stringExpression(
  value: string,
): { engine: string | undefined; statement: string } | undefined {
  if (value === "" || ESCAPE.test(value)) return undefined;
  const engine = ENGINE.exec(value);
  if (!engine) return undefined;
  const statement = engine[2] ?? "";
  if (statement === "") return undefined;
  return { engine: engine[1], statement };
}
