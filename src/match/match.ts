/**
 * Assertion trees, with the semantics of kyverno-json (pkg/core/assertion/assertion.go and
 * pkg/core/projection/projection.go), which Chainsaw uses for `assert`, `error`, `check` and
 * `expect`:
 *
 * - A map matches partially: keys absent from the expected map are ignored. `{}` only requires a
 *   non-null value.
 * - A key is a projection of the actual node: a plain key reads that field (missing → "field not
 *   found"); `(expr)` evaluates JMESPath with the actual node as `@` and always "finds" its result.
 * - `~.(expr)` / `~name.(expr)` apply the child to every element (arrays) or value (maps), binding
 *   `$name` to the index or key; `(expr)->name` binds the projected value as `$name`.
 * - A string leaf `(expr)` is evaluated with the actual value as `@`, and the result is compared
 *   with the actual value (it is not "must be truthy": `(length(@) > 2)` as a leaf only matches a
 *   boolean actual). Other leaves compare by value; see equal.ts.
 * - An expected array in the tree must match the actual array element by element and have the same
 *   length (`listMatch: "exact"`, Chainsaw's behaviour), or, with `listMatch: "contains"`, every
 *   expected element must match a distinct actual element in any order.
 *
 * Unlike kyverno-json, which stops at its first evaluation error, every failure is collected.
 * Failures Chainsaw reports as errors (it stops retrying the assertion) are marked `fatal`.
 */
import type { ListMatch } from "../model/operation.ts";
import type { PathSegment } from "../model/source.ts";
import type { Bindings } from "../template/bindings.ts";
import { parseExpression } from "../template/expression.ts";
import { evaluateStatement } from "../template/engines.ts";
import { describeExpected, describeValue, valuesMatch } from "./equal.ts";
import { errorMessage } from "../source/errors.ts";

export interface MatchFailure {
  /** Path in the EXPECTED document (keys as written), for `SourceDocument.locate`. */
  path: PathSegment[];
  /** Chainsaw-style field path, with `~` iteration indices/keys: `spec.~.(containers)[1].image`. */
  field: string;
  /** Chainsaw-style detail, e.g. `Invalid value: "null": Expected value: "bar"`. */
  message: string;
  expected?: unknown;
  actual?: unknown;
  /** An evaluation error rather than a mismatch; Chainsaw fails the assertion at once on these. */
  fatal?: boolean;
}

export interface MatchResult {
  ok: boolean;
  failures: MatchFailure[];
}

export interface MatchOptions {
  bindings: Bindings;
  listMatch?: ListMatch;
}

export type FieldSegment = { child: string } | { index: number } | { key: string };

interface Context {
  listMatch: ListMatch;
  failures: MatchFailure[];
}

/** A node's place: its path in the expected document, its Chainsaw field path, the bindings in scope. */
interface At {
  bindings: Bindings;
  path: PathSegment[];
  field: FieldSegment[];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** k8s field.Path.String(): `a.b[0][key]`. */
export function formatField(field: readonly FieldSegment[]): string {
  let out = "";
  for (const segment of field) {
    if ("child" in segment) out += out === "" ? segment.child : `.${segment.child}`;
    else if ("index" in segment) out += `[${segment.index}]`;
    else out += `[${segment.key}]`;
  }
  return out;
}

/** `field: message`, the line Chainsaw prints for a failure. */
export function formatFailure(failure: MatchFailure): string {
  return failure.field === "" ? failure.message : `${failure.field}: ${failure.message}`;
}

function fail(ctx: Context, at: At, message: string, extra: Partial<MatchFailure> = {}): void {
  ctx.failures.push({ path: at.path, field: formatField(at.field), message, ...extra });
}

/** Matches `actual` against the assertion tree `expected`, collecting every failure. */
export function match(expected: unknown, actual: unknown, options: MatchOptions): MatchResult {
  const ctx: Context = { listMatch: options.listMatch ?? "exact", failures: [] };
  assertNode(expected, actual, { bindings: options.bindings, path: [], field: [] }, ctx);
  return { ok: ctx.failures.length === 0, failures: ctx.failures };
}

function assertNode(expected: unknown, actual: unknown, at: At, ctx: Context): void {
  if (Array.isArray(expected)) assertArray(expected, actual, at, ctx);
  else if (isMap(expected)) assertMap(expected, actual, at, ctx);
  else assertLeaf(expected, actual, at, ctx);
}

function assertMap(expected: Record<string, unknown>, actual: unknown, at: At, ctx: Context): void {
  const keys = Object.keys(expected);
  if (keys.length === 0) {
    if (actual === null || actual === undefined) {
      fail(ctx, at, `Invalid value: "null": invalid value, must not be null`, { actual: null });
    }
    return;
  }
  // A `->name` binding is visible to the key's descendants only, as kyverno-json documents
  // ("Explicit bindings"). Its current code also leaks it to sibling keys visited later in Go's
  // random map order, which no test can rely on; kubeproof keeps the documented, deterministic rule.
  for (const key of keys) {
    const child = expected[key];
    const childAt: At = { ...at, path: [...at.path, key], field: [...at.field, { child: key }] };
    const parsed = parseExpression(key);
    let projected: unknown;
    if (parsed.engine !== undefined) {
      try {
        projected = evaluateStatement(parsed.statement, parsed.explicitEngine, actual, at.bindings);
      } catch (err) {
        fail(ctx, childAt, `Internal error: ${errorMessage(err)}`, { fatal: true });
        continue;
      }
    } else if (actual === null || actual === undefined) {
      fail(ctx, childAt, "Required value: field not found in the input object");
      continue;
    } else if (isMap(actual)) {
      if (!Object.hasOwn(actual, parsed.statement)) {
        fail(ctx, childAt, "Required value: field not found in the input object");
        continue;
      }
      projected = actual[parsed.statement];
    } else {
      fail(ctx, childAt, "Internal error: projection not recognized", { actual, fatal: true });
      continue;
    }
    const scope = parsed.binding !== undefined ? at.bindings.with(parsed.binding, projected) : at.bindings;
    // Each element or value: the same place in the expected document, its own index or key in the field.
    const each = (item: unknown, segment: FieldSegment, name: number | string): void => {
      const bindings = parsed.foreachName !== undefined ? scope.with(parsed.foreachName, name) : scope;
      assertNode(child, item, { bindings, path: childAt.path, field: [...childAt.field, segment] }, ctx);
    };
    if (!parsed.foreach) {
      assertNode(child, projected, { ...childAt, bindings: scope }, ctx);
    } else if (Array.isArray(projected)) {
      projected.forEach((item: unknown, i) => each(item, { index: i }, i));
    } else if (isMap(projected)) {
      for (const [k, item] of Object.entries(projected)) each(item, { key: k }, k);
    } else {
      fail(ctx, childAt, `Invalid value: ${describeValue(projected)}: expected a slice or a map`, {
        actual: projected,
        fatal: true,
      });
    }
  }
}

function assertArray(expected: unknown[], actual: unknown, at: At, ctx: Context): void {
  if (actual === null || actual === undefined) {
    fail(ctx, at, `Invalid value: "null": value is null`, { expected, actual: null });
    return;
  }
  if (!Array.isArray(actual)) {
    fail(ctx, at, `Invalid value: ${describeValue(actual)}: expected a slice`, {
      expected,
      actual,
      fatal: true,
    });
    return;
  }
  if (ctx.listMatch === "contains") {
    assertContains(expected, actual, at, ctx);
    return;
  }
  if (expected.length !== actual.length) {
    fail(
      ctx,
      at,
      `Invalid value: ${describeValue(actual)}: lengths of slices don't match (expected ${expected.length}, got ${actual.length})`,
      { expected, actual },
    );
    return;
  }
  expected.forEach((item: unknown, i) =>
    assertNode(item, actual[i], { ...at, path: [...at.path, i], field: [...at.field, { index: i }] }, ctx),
  );
}

/** `contains`: a maximum bipartite matching of expected elements to distinct actual elements. */
function assertContains(expected: unknown[], actual: unknown[], at: At, ctx: Context): void {
  const trials = expected.map((item, i) =>
    actual.map((candidate, j) => {
      const sub: Context = { listMatch: ctx.listMatch, failures: [] };
      assertNode(item, candidate, { ...at, path: [...at.path, i], field: [...at.field, { index: j }] }, sub);
      return sub.failures;
    }),
  );
  const owner: (number | undefined)[] = actual.map(() => undefined);
  const assign = (i: number, seen: boolean[]): boolean => {
    for (let j = 0; j < actual.length; j++) {
      if (seen[j] || (trials[i]?.[j]?.length ?? 1) > 0) continue;
      seen[j] = true;
      const current = owner[j];
      if (current === undefined || assign(current, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  expected.forEach((item, i) => {
    if (
      assign(
        i,
        actual.map(() => false),
      )
    )
      return;
    let closest = -1;
    let fewest = Infinity;
    trials[i]?.forEach((failures, j) => {
      if (failures.length > 0 && failures.length < fewest) {
        fewest = failures.length;
        closest = j;
      }
    });
    const best = closest >= 0 ? trials[i]?.[closest]?.[0] : undefined;
    const hint =
      best !== undefined
        ? ` (closest: element [${closest}], ${fewest} mismatch${fewest === 1 ? "" : "es"}, first: ${formatFailure(best)})`
        : actual.length > 0
          ? " (every matching element is already matched by another expected element)"
          : " (the actual list is empty)";
    fail(
      ctx,
      { ...at, path: [...at.path, i], field: [...at.field, { index: i }] },
      `Invalid value: no element of the actual list matches${hint}`,
      { expected: item, actual },
    );
  });
}

function assertLeaf(expected: unknown, actual: unknown, at: At, ctx: Context): void {
  let want = expected;
  if (typeof expected === "string") {
    const parsed = parseExpression(expected);
    if (parsed.foreach) {
      fail(ctx, at, "Internal error: foreach is not supported on the RHS", {
        expected,
        fatal: true,
      });
      return;
    }
    if (parsed.binding !== undefined) {
      fail(ctx, at, "Internal error: binding is not supported on the RHS", {
        expected,
        fatal: true,
      });
      return;
    }
    if (parsed.engine === undefined) {
      want = parsed.statement;
    } else {
      try {
        want = evaluateStatement(parsed.statement, parsed.explicitEngine, actual, at.bindings);
      } catch (err) {
        fail(ctx, at, `Internal error: ${errorMessage(err)}`, { expected, actual, fatal: true });
        return;
      }
    }
  }
  let same: boolean;
  try {
    same = valuesMatch(want, actual);
  } catch (err) {
    fail(ctx, at, `Internal error: ${errorMessage(err)}`, { expected: want, actual, fatal: true });
    return;
  }
  if (!same) {
    fail(ctx, at, `Invalid value: ${describeValue(actual)}: Expected value: ${describeExpected(want)}`, {
      expected: want,
      actual: actual === undefined ? null : actual,
    });
  }
}
