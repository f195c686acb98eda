/**
 * Go's text/template, for kuttl's `.gotmpl.yaml` files: actions `{{ }}` with `{{-`/`-}}` trimming and
 * comments; pipelines with `|`; fields of maps (`.Namespace`, `.Vars.name`), `.`, `$` and variables
 * (`$x := …`, `$x = …`); `if`/`else if`/`else`, `range` (with `$i, $v :=`, `else`, `break`,
 * `continue`), `with`; and the builtins `and or not len index slice print printf println eq ne lt le
 * gt ge html js urlquery`, and a few sprig string functions (`gotemplate-sprig.ts`). Values print as Go prints them: a missing map key as `<no value>`, nil as
 * `<nil>`, a list as `[a b]`, a map as `map[a:1 b:2]`. `define`, `template` and `block` are refused.
 */

import {
  fail,
  GoTemplateError,
  goType,
  isMap,
  NO_VALUE,
  show,
  truthy,
  type Pos,
} from "./gotemplate-functions.ts";
import { TEMPLATE_FUNCTIONS } from "./gotemplate-sprig.ts";
import {
  parseGoTemplate,
  type Node,
  type Operand,
  type ParsedGoTemplate,
  type Pipe,
} from "./gotemplate-parse.ts";

export { GoTemplateError } from "./gotemplate-functions.ts";
export { parseGoTemplate, type ParsedGoTemplate } from "./gotemplate-parse.ts";

/** Parses and executes `source` with `data` as dot. Throws GoTemplateError with a 1-based position. */
export function renderGoTemplate(source: string, data: unknown): string {
  return execute(parseGoTemplate(source), data);
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
    const fn = TEMPLATE_FUNCTIONS[head.name];
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
      const fn = TEMPLATE_FUNCTIONS[op.name];
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
