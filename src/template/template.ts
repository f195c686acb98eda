/**
 * Chainsaw templating (chainsaw pkg/mutate, pkg/engine/templating, pkg/expressions).
 *
 * - Only leaves are templated: a string `(expr)` becomes the expression's value; map keys are kept
 *   as written (Chainsaw docs, "Resource templating": "templating can only be specified in leave
 *   nodes"). `\(text)\` is an escape and stays exactly as written, backslashes included.
 * - `@` in an expression is the node at the same path in the `input` document: the resource itself
 *   when templating a resource, the operation's result for `outputs`, nothing for plain bindings.
 * - For `assert` and `error`, only apiVersion, kind, metadata.name, metadata.namespace and string
 *   labels are templated; the rest is an assertion tree, evaluated while matching.
 */
import type { Binding } from "../model/operation.ts";
import type { PathSegment } from "../model/source.ts";
import { Bindings, normalizeBindingName } from "./bindings.ts";
import { stringExpression, templateExpression } from "./expression.ts";
import { evaluateStatement } from "./engines.ts";
import { formatPath } from "../source/diagnostics.ts";
import { errorMessage } from "../source/errors.ts";

export class TemplateError extends Error {
  /** Where the failing node is in the templated document. */
  readonly path: PathSegment[];
  /** The expression that failed, when one did. */
  readonly expression: string | undefined;
  readonly reason: string;
  constructor(path: PathSegment[], reason: string, expression?: string) {
    super(path.length > 0 ? `${formatPath(path)}: ${reason}` : reason);
    this.name = "TemplateError";
    this.path = path;
    this.expression = expression;
    this.reason = reason;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "slice";
  if (isPlainObject(value)) return "map";
  return typeof value;
}

function evaluateLeaf(
  statement: string,
  engine: string | undefined,
  input: unknown,
  bindings: Bindings,
  path: PathSegment[],
): unknown {
  try {
    return evaluateStatement(statement, engine, input, bindings);
  } catch (err) {
    throw new TemplateError(path, errorMessage(err), statement);
  }
}

function mutate(node: unknown, input: unknown, bindings: Bindings, path: PathSegment[]): unknown {
  if (Array.isArray(node)) {
    if (input !== undefined && input !== null && !Array.isArray(input)) {
      throw new TemplateError(path, `Invalid value: expected a slice or array, found ${kindOf(input)}`);
    }
    return node.map((item: unknown, i) =>
      mutate(item, Array.isArray(input) ? input[i] : undefined, bindings, [...path, i]),
    );
  }
  if (isPlainObject(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      out[key] = mutate(value, isPlainObject(input) ? input[key] : undefined, bindings, [...path, key]);
    }
    return out;
  }
  const expression = templateExpression(node);
  if (!expression) return node;
  return evaluateLeaf(expression.statement, expression.engine, input, bindings, path);
}

/** Templates every leaf of `value`; `input` supplies `@` for each leaf (same path). Returns a copy. */
export function templateValue(value: unknown, bindings: Bindings, input?: unknown): unknown {
  return mutate(value, input, bindings, []);
}

/** chainsaw pkg/utils/maps.Merge: maps merge recursively, anything else from `b` replaces. */
export function mergeMaps(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const existing = out[key];
    out[key] = isPlainObject(value) && isPlainObject(existing) ? mergeMaps(existing, value) : value;
  }
  return out;
}

/** Templating of a resource for apply, create, update, patch and delete (TemplateAndMerge). */
export function templateResource(resource: unknown, bindings: Bindings): unknown {
  const templated = mutate(resource, resource, bindings, []);
  return isPlainObject(resource) && isPlainObject(templated) ? mergeMaps(resource, templated) : templated;
}

/** Templating of an assert/error resource: only what looks the objects up (templating.ResourceRef). */
export function templateResourceRef(
  resource: Record<string, unknown>,
  bindings: Bindings,
): Record<string, unknown> {
  const { apiVersion, kind } = resource;
  if (typeof apiVersion !== "string" || apiVersion === "" || typeof kind !== "string" || kind === "")
    return resource;
  const metadata = isPlainObject(resource.metadata) ? resource.metadata : {};
  const ref: Record<string, unknown> = {};
  if (typeof metadata.name === "string" && metadata.name !== "") ref.name = metadata.name;
  if (typeof metadata.namespace === "string" && metadata.namespace !== "") ref.namespace = metadata.namespace;
  if (isPlainObject(metadata.labels)) {
    ref.labels = Object.fromEntries(Object.entries(metadata.labels).filter(([, v]) => typeof v === "string"));
  }
  const temp: Record<string, unknown> = { apiVersion, kind };
  if (Object.keys(ref).length > 0) temp.metadata = ref;
  const templated = mutate(temp, temp, bindings, []);
  return isPlainObject(templated) ? mergeMaps(resource, templated) : resource;
}

/**
 * A string field that may be an expression (names, namespaces, env values, binding names):
 * `(expr)` must evaluate to a string (chainsaw pkg/expressions/string.go).
 */
export function templateString(value: string, bindings: Bindings): string {
  const expression = stringExpression(value);
  if (!expression) return value;
  const result = evaluateLeaf(expression.statement, expression.engine, null, bindings, []);
  if (typeof result !== "string") {
    throw new TemplateError([], `expression didn't evaluate to a string (${value})`, expression.statement);
  }
  return result;
}

export class BindingError extends Error {
  readonly binding: string;
  readonly index: number;
  constructor(binding: string, index: number, cause: unknown) {
    super(`binding ${JSON.stringify(binding)}: ${errorMessage(cause)}`);
    this.name = "BindingError";
    this.binding = binding;
    this.index = index;
  }
}

/** Resolves one Chainsaw binding: its name may be an expression, its value is templated. */
export function resolveBinding(
  binding: Binding,
  bindings: Bindings,
  input?: unknown,
): { name: string; value: unknown } {
  const scope = bindings.withCompiler(binding.compiler);
  const name = normalizeBindingName(templateString(binding.name, scope));
  return { name, value: templateValue(binding.value, scope, input) };
}

/** Registers `list` in order, each seeing the ones before it (how Chainsaw processes `bindings`). */
export function applyBindings(list: readonly Binding[], bindings: Bindings, input?: unknown): Bindings {
  let out = bindings;
  list.forEach((binding, index) => {
    try {
      const { name, value } = resolveBinding(binding, out, input);
      out = out.with(name, value);
    } catch (err) {
      throw new BindingError(binding.name, index, err);
    }
  });
  return out;
}
