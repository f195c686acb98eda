/**
 * JMESPath evaluation with Chainsaw's bindings and functions.
 *
 * Bindings become JMESPath variables (`$name`, JEP-11 lexical scoping, as Chainsaw documents): they
 * form the outermost scope, and `let` expressions nest inside it.
 */
import {
  compile,
  Scope,
  tokenize,
  TreeInterpreter,
  type JSONObject,
  type JSONValue,
} from "@jmespath-community/jmespath";
import type { Bindings } from "./bindings.ts";
import { installChainsawFunctions } from "./functions.ts";
import { registerJmespathFunction, type ArgSpec, type JmespathFunction } from "./registry.ts";
import { errorMessage } from "../source/errors.ts";

export type { ArgSpec, ArgType, JmespathFunction } from "./registry.ts";

type Node = ReturnType<typeof compile>;

export class ExpressionError extends Error {
  /** The JMESPath statement (without the surrounding parentheses). */
  readonly expression: string;
  readonly phase: "compile" | "evaluate";
  constructor(expression: string, phase: "compile" | "evaluate", reason: string) {
    const what =
      phase === "compile" ? "invalid JMESPath expression" : "failed to evaluate JMESPath expression";
    super(`${what} ${JSON.stringify(expression)}: ${reason}`);
    this.name = "ExpressionError";
    this.expression = expression;
    this.phase = phase;
  }
}

const MAX_CACHE = 10_000;
const cache = new Map<string, Node | ExpressionError>();

/** Parses `expression` once; later calls with the same text reuse the tree (or the error). */
export function compileExpression(expression: string): Node {
  let entry = cache.get(expression);
  if (entry === undefined) {
    entry = compileUncached(expression);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(expression, entry);
  }
  if (entry instanceof ExpressionError) throw entry;
  return entry;
}

function compileUncached(expression: string): Node | ExpressionError {
  try {
    return compile(expression);
  } catch (err) {
    // Chainsaw's documentation writes numbers bare (`(replicas > 3)`), which its Go JMESPath accepts
    // and this library does not; retry with the numbers as JSON literals before giving up.
    const rewritten = rewriteBareNumbers(expression);
    if (rewritten !== undefined) {
      try {
        return compile(rewritten);
      } catch {
        // fall through to the original error, which names what the user wrote
      }
    }
    return new ExpressionError(expression, "compile", errorMessage(err));
  }
}

/**
 * The library keeps variables in its interpreter's scope chain, but its built-in functions evaluate
 * expression references (`map(&f, ...)`, `sort_by`) with the shared default interpreter. Setting the
 * scope on that interpreter (instead of wrapping the expression in a `let`) keeps `$name` visible
 * inside `&...` arguments. Its state is saved and restored so nested evaluations stay correct.
 */
interface InterpreterState {
  _rootValue: JSONValue;
  _scope: ReturnType<typeof Scope>;
}
const interpreter = TreeInterpreter as unknown as InterpreterState;

/**
 * Evaluates `expression` with `input` as the current node (`@`) and every binding as `$name`.
 * Chainsaw's custom functions (kyverno, kyverno-json and Chainsaw's own) are available.
 */
export function evaluate(expression: string, input: unknown, bindings: Bindings): unknown {
  installChainsawFunctions();
  const node = compileExpression(expression);
  const value = asJson(input);
  const saved: InterpreterState = { _rootValue: interpreter._rootValue, _scope: interpreter._scope };
  interpreter._rootValue = value;
  interpreter._scope = Scope().withScope(bindings.toRecord() as JSONObject);
  try {
    return TreeInterpreter.visit(node, value);
  } catch (err) {
    throw new ExpressionError(expression, "evaluate", explain(errorMessage(err)));
  } finally {
    interpreter._rootValue = saved._rootValue;
    interpreter._scope = saved._scope;
  }
}

function asJson(value: unknown): JSONValue {
  // The interpreter only reads values; undefined is the one JS value JMESPath cannot represent.
  return value === undefined ? null : (value as JSONValue);
}

function explain(message: string): string {
  const undefinedVariable = /^Error referencing undefined variable (\w+)$/.exec(message);
  if (undefinedVariable) return `binding $${undefinedVariable[1]} is not defined`;
  return message;
}

const OPERAND_END = new Set([
  "UnquotedIdentifier",
  "QuotedIdentifier",
  "Literal",
  "Number",
  "Rbracket",
  "Rparen",
  "Rbrace",
  "Current",
  "Root",
  "Variable",
  "Flatten",
]);

/**
 * Rewrites numbers written without backticks (`3`, `-1`, `2.5`) into JSON literals, except where
 * JMESPath itself expects a bare integer (index and slice positions). Returns `undefined` when
 * nothing needed rewriting or the expression does not even tokenize.
 */
export function rewriteBareNumbers(expression: string): string | undefined {
  let tokens: ReturnType<typeof tokenize>;
  try {
    tokens = tokenize(expression);
  } catch {
    return undefined;
  }
  const open: string[] = [];
  let out = "";
  let copied = 0;
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) break;
    const type = token.type as string;
    if (type === "Lbracket" || type === "Filter" || type === "Lbrace" || type === "Lparen") open.push(type);
    else if (type === "Rbracket" || type === "Rbrace" || type === "Rparen") open.pop();
    if (type !== "Number") continue;
    const previous = tokens[i - 1]?.type as string | undefined;
    if (open.at(-1) === "Lbracket" && (previous === "Lbracket" || previous === "Colon")) continue;
    let end = token.start;
    if (expression[end] === "-") end++;
    while (isDigit(expression[end])) end++;
    if (expression[end] === "." && isDigit(expression[end + 1])) {
      end++;
      while (isDigit(expression[end])) end++;
    }
    while ((tokens[i + 1]?.start ?? Infinity) < end) i++;
    const text = expression.slice(token.start, end);
    const negative = text.startsWith("-");
    const literal =
      negative && previous !== undefined && OPERAND_END.has(previous)
        ? `- \`${text.slice(1)}\``
        : `\`${text}\``;
    out += expression.slice(copied, token.start) + literal;
    copied = end;
    changed = true;
  }
  return changed ? out + expression.slice(copied) : undefined;
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

/**
 * Adds or replaces a JMESPath function for every later evaluation, after Chainsaw's own set is in
 * place (so a runner-provided `x_k8s_get` or an override is never clobbered by it).
 */
export function registerFunction(name: string, fn: JmespathFunction, args: readonly ArgSpec[]): void {
  installChainsawFunctions();
  registerJmespathFunction(name, fn, args);
}
