import type {
  AssertExpressions,
  AssertOperation,
  SourceDocument,
  SourceLocation,
} from "../../model/index.ts";
import { celCheckError, celSyntaxError } from "../../template/cel.ts";
import { plainBase } from "../unit.ts";

export { celCheckError, celSyntaxError };

/** kuttl's TestAssert resourceRefs, assertAll and assertAny: one assert operation checking them. */
export function fromKuttlExpressions(
  location: SourceLocation,
  expressions: AssertExpressions,
  timeoutMs: number,
): AssertOperation & { type: "assert" } {
  return {
    ...plainBase(location, timeoutMs),
    type: "assert",
    resources: [],
    listMatch: "exact",
    mode: "eventually",
    expressions,
  };
}

/**
 * kuttl's assert and errors files: every object of the files must (assert) or must not (errors)
 * exist as written, compared literally, until the step's timeout.
 */
export function fromKuttlFiles<T extends "assert" | "error">(
  type: T,
  docs: readonly SourceDocument[],
  timeoutMs: number,
): AssertOperation & { type: T } {
  const first = docs[0];
  return {
    ...plainBase(first?.location ?? { file: "", line: 0, col: 0 }, timeoutMs),
    type,
    resources: docs.map(literalDocument),
    listMatch: "exact",
    mode: "eventually",
  };
}

/**
 * kuttl compares asserted values literally; kubeproof's matcher reads `(expr)`, `~x.` and `-> x` as
 * Chainsaw expressions. Such strings (keys or values) are wrapped in `\…\`, the matcher's literal escape.
 */
export function literalDocument(doc: SourceDocument): SourceDocument {
  const value = escapeLiterals(doc.value);
  if (value === doc.value) return doc;
  return {
    value,
    location: doc.location,
    locate: (path) =>
      doc.locate(path.map((s) => (typeof s === "string" && LITERAL_ESCAPE.test(s) ? s.slice(1, -1) : s))),
  };
}

const LITERAL_ESCAPE = /^\\.+\\$/;
const EXPRESSION_LIKE = /^~|->\s*\w+$|^\(.+\)$|^\\.+\\$/;

function escapeLiterals(value: unknown): unknown {
  if (typeof value === "string") return escape(value);
  if (Array.isArray(value)) {
    const items = value.map(escapeLiterals);
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [escape(k), escapeLiterals(v)] as const);
    const changed = entries.some(([k, v]) => !(k in value) || v !== (value as Record<string, unknown>)[k]);
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/** Single-line strings only: the matcher's escape cannot span lines. */
function escape(text: string): string {
  return !text.includes("\n") && EXPRESSION_LIKE.test(text) ? `\\${text}\\` : text;
}
