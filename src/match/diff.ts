/**
 * Unified diffs of an expected document against an actual object, both rendered as YAML with
 * sorted keys (so the key order of the API server and of the test file do not matter).
 *
 * Like Chainsaw (pkg/utils/diff), the actual object is first pruned to what the expected document
 * mentions, keeping apiVersion, kind, metadata.name and metadata.ownerReferences for orientation.
 * kubeproof goes further: fields read by `(expr)` keys are kept, `~` keys prune every element, and
 * arrays are pruned element by element to the shape of the expected elements.
 */
import { FILE_HEADERS_ONLY, createTwoFilesPatch } from "diff";
import YAML from "yaml";
import { parseExpression } from "../template/expression.ts";
import { compileExpression } from "../template/jmespath.ts";

export interface DiffOptions {
  /** Render the whole actual object instead of the pruned one. */
  full?: boolean;
  /** Lines of context around each change (default 3, as Chainsaw). */
  context?: number;
  expectedLabel?: string;
  actualLabel?: string;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** YAML with map keys sorted, as sigs.k8s.io/yaml renders. */
export function toYaml(value: unknown): string {
  if (value === undefined) return "";
  return YAML.stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

/** A unified diff (`--- expected` / `+++ actual`), or "" when the renderings are identical. */
export function renderDiff(expected: unknown, actual: unknown, options: DiffOptions = {}): string {
  const before = toYaml(expected);
  const after = toYaml(options.full ? actual : pruneToExpected(expected, actual));
  if (before === after) return "";
  return createTwoFilesPatch(
    options.expectedLabel ?? "expected",
    options.actualLabel ?? "actual",
    before,
    after,
    undefined,
    undefined,
    {
      context: options.context ?? 3,
      headerOptions: FILE_HEADERS_ONLY,
    },
  );
}

interface AstNode {
  type: string;
  name?: string;
  left?: AstNode;
  right?: AstNode;
  child?: AstNode;
  operand?: AstNode;
  children?: AstNode[];
  value?: unknown;
  expression?: AstNode;
  condition?: AstNode;
  trueExpr?: AstNode;
  falseExpr?: AstNode;
  bindings?: { reference: AstNode }[];
}

/** `a.b.c` as ["a", "b", "c"] when the expression is nothing but a field chain. */
function fieldChain(node: AstNode): string[] | undefined {
  if (node.type === "Field" && node.name !== undefined) return [node.name];
  if (node.type === "Subexpression" && node.left && node.right) {
    const left = fieldChain(node.left);
    const right = fieldChain(node.right);
    return left && right ? [...left, ...right] : undefined;
  }
  return undefined;
}

/** Top-level fields of the current node that an expression reads. */
function rootFields(node: AstNode | undefined): string[] {
  if (!node) return [];
  switch (node.type) {
    case "Field":
      return node.name !== undefined ? [node.name] : [];
    case "Subexpression":
    case "IndexExpression":
    case "Projection":
    case "ValueProjection":
    case "FilterProjection":
    case "Pipe":
      return rootFields(node.left);
    case "Comparator":
    case "Arithmetic":
    case "AndExpression":
    case "OrExpression":
      return [...rootFields(node.left), ...rootFields(node.right)];
    case "NotExpression":
    case "Flatten":
      return rootFields(node.child);
    case "Unary":
      return rootFields(node.operand);
    case "Function":
    case "MultiSelectList":
      return (node.children ?? []).flatMap(rootFields);
    case "MultiSelectHash":
      return (node.children ?? []).flatMap((kv) => rootFields(kv.value as AstNode | undefined));
    case "Ternary":
      return [...rootFields(node.condition), ...rootFields(node.trueExpr), ...rootFields(node.falseExpr)];
    case "LetExpression":
      return [
        ...(node.bindings ?? []).flatMap((b) => rootFields(b.reference)),
        ...rootFields(node.expression),
      ];
    default:
      return [];
  }
}

function parseStatement(statement: string): AstNode | undefined {
  try {
    return compileExpression(statement);
  } catch {
    return undefined;
  }
}

function setPath(target: Record<string, unknown>, chain: string[], value: unknown): void {
  let node = target;
  chain.slice(0, -1).forEach((name) => {
    const next = node[name];
    if (!isMap(next)) node[name] = {};
    node = node[name] as Record<string, unknown>;
  });
  const last = chain.at(-1);
  if (last === undefined) return;
  const existing = node[last];
  node[last] = isMap(existing) && isMap(value) ? { ...existing, ...value } : value;
}

function getPath(source: unknown, chain: string[]): { found: boolean; value: unknown } {
  let node = source;
  for (const name of chain) {
    if (!isMap(node) || !Object.hasOwn(node, name)) return { found: false, value: undefined };
    node = node[name];
  }
  return { found: true, value: node };
}

function pruneChild(expected: unknown, actual: unknown, foreach: boolean): unknown {
  if (!foreach) return pruneToExpected(expected, actual, false);
  if (Array.isArray(actual)) return actual.map((item: unknown) => pruneToExpected(expected, item, false));
  if (isMap(actual))
    return Object.fromEntries(
      Object.entries(actual).map(([k, v]) => [k, pruneToExpected(expected, v, false)]),
    );
  return actual;
}

/** The union of the keys of all expected map elements, used as the shape for every actual element. */
function elementShape(expected: unknown[]): Record<string, unknown> | undefined {
  if (expected.length === 0 || !expected.every(isMap)) return undefined;
  const shape: Record<string, unknown> = {};
  for (const item of expected) {
    for (const [key, value] of Object.entries(item)) {
      const existing = shape[key];
      shape[key] = isMap(existing) && isMap(value) ? { ...existing, ...value } : (existing ?? value);
    }
  }
  return shape;
}

/**
 * `actual` reduced to the fields `expected` talks about (see the module comment). `root` adds the
 * identifying fields of a resource when `expected` looks like one.
 */
export function pruneToExpected(expected: unknown, actual: unknown, root = true): unknown {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const shape = elementShape(expected);
    return shape ? actual.map((item: unknown) => pruneToExpected(shape, item, false)) : actual;
  }
  if (!isMap(expected) || !isMap(actual)) return actual;
  const out: Record<string, unknown> = {};
  if (root && ["apiVersion", "kind", "metadata"].some((k) => Object.hasOwn(expected, k))) {
    for (const key of ["apiVersion", "kind"]) if (Object.hasOwn(actual, key)) out[key] = actual[key];
    const metadata = actual.metadata;
    if (isMap(metadata)) {
      const kept = Object.fromEntries(
        Object.entries(metadata).filter(([k]) => k === "name" || k === "ownerReferences"),
      );
      if (Object.keys(kept).length > 0) out.metadata = kept;
    }
  }
  for (const [key, child] of Object.entries(expected)) {
    const parsed = parseExpression(key);
    if (parsed.engine === undefined) {
      if (Object.hasOwn(actual, parsed.statement)) {
        setPath(out, [parsed.statement], pruneChild(child, actual[parsed.statement], parsed.foreach));
      }
      continue;
    }
    const ast = parseStatement(parsed.statement);
    if (!ast) continue;
    const chain = fieldChain(ast);
    if (chain) {
      const { found, value } = getPath(actual, chain);
      if (found) setPath(out, chain, pruneChild(child, value, parsed.foreach));
      continue;
    }
    for (const name of rootFields(ast)) {
      if (Object.hasOwn(actual, name) && !Object.hasOwn(out, name)) out[name] = actual[name];
    }
  }
  return out;
}
