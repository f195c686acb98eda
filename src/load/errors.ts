import type * as z from "zod";
import type { PathSegment, SourceDocument, SourceLocation } from "../model/index.ts";
import { CATCH_ACTIONS, TRY_ACTIONS } from "../config/operation-schema.ts";
import { didYouMean } from "../config/suggest.ts";
import { expectedOf, knownKeys, preview, schemaAt, type IssueParams } from "../config/schema-kit.ts";

export interface LoadErrorInit {
  file: string;
  /** 1-based; 0 when the problem has no position (a missing path, an unreadable file). */
  line: number;
  col: number;
  message: string;
  /** The field the message is about, e.g. `spec.steps[0].try[1].apply`. */
  path?: string;
  /** What would have been accepted, e.g. `one of file, resource`. */
  expected?: string;
  /** What to do about it, e.g. `did you mean "file"?`. */
  hint?: string;
}

/** One problem in an input file, with the position a user (or an automated coder) can jump to. */
export class LoadError extends Error {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path?: string;
  readonly expected?: string;
  readonly hint?: string;

  constructor(init: LoadErrorInit) {
    super(init.message);
    this.name = "LoadError";
    this.file = init.file;
    this.line = init.line;
    this.col = init.col;
    if (init.path !== undefined && init.path !== "") this.path = init.path;
    if (init.expected !== undefined) this.expected = init.expected;
    if (init.hint !== undefined) this.hint = init.hint;
  }

  get location(): SourceLocation {
    return { file: this.file, line: this.line, col: this.col };
  }

  format(): string {
    return formatLoadError(this);
  }

  override toString(): string {
    return this.format();
  }
}

/**
 * Every problem found while loading, reported together so one run shows them all. Thrown by the
 * loaders and discovery; the CLI maps it to exit code 2 (nothing was applied to a cluster).
 */
export class LoadErrors extends Error {
  readonly errors: readonly LoadError[];

  constructor(errors: readonly LoadError[]) {
    super(errors.map((e) => e.format()).join("\n"));
    this.name = "LoadErrors";
    this.errors = errors;
  }
}

/** `file:line:col: path: message — expected …; hint` */
export function formatLoadError(e: LoadError): string {
  const where = e.line > 0 ? `${e.file}:${e.line}:${e.col}` : e.file;
  let out = `${where}: `;
  if (e.path !== undefined) out += `${e.path}: `;
  out += e.message;
  if (e.expected !== undefined) out += ` — expected ${e.expected}`;
  if (e.hint !== undefined) out += `; ${e.hint}`;
  return out;
}

/** `spec.steps[0].try[1].apply` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (typeof segment === "string" && /^[A-Za-z_$][\w$-]*$/.test(segment))
      out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** A LoadError positioned at `path` in `doc` (map keys point at the key). */
export function errorAt(
  doc: SourceDocument,
  path: readonly PathSegment[],
  detail: { message: string; expected?: string; hint?: string; path?: readonly PathSegment[] },
): LoadError {
  const loc = doc.locate(path);
  return new LoadError({ ...loc, ...detail, path: formatPath(detail.path ?? path) });
}

/** Sorts by position and drops exact duplicates, so a report reads top to bottom. */
export function sortErrors(errors: readonly LoadError[]): LoadError[] {
  const seen = new Set<string>();
  const out: LoadError[] = [];
  for (const e of [...errors].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
  )) {
    const key = e.format();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

const MAX_LISTED_KEYS = 10;
const BLOCK_NAMES = new Set(["catch", "finally", "cleanup"]);
const TRY_ONLY = new Set<string>(
  TRY_ACTIONS.filter((a) => !(CATCH_ACTIONS as readonly string[]).includes(a)),
);

/**
 * Turns zod issues into positioned errors. `root` is the schema that produced them: it is walked to
 * list the accepted keys and the expected form of a value, which zod issues do not carry.
 */
export function issuesToLoadErrors(
  issues: readonly z.core.$ZodIssue[],
  doc: SourceDocument,
  root: z.ZodType,
): LoadError[] {
  const typoAt = new Set<string>();
  const meantAt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    typoAt.add(formatPath(issue.path));
    const known = knownKeys(schemaAt(root, segments(issue.path)));
    for (const key of issue.keys) {
      const meant = didYouMean(key, known);
      if (meant !== undefined) meantAt.add(formatPath([...issue.path, meant]));
    }
  }
  const out: LoadError[] = [];
  for (const issue of issues) {
    const path = segments(issue.path);
    // A misspelt key also makes "needs file or resource"-style refinements fail and leaves the
    // intended key missing; report the cause only.
    if (issue.code === "custom" && typoAt.has(formatPath(path))) continue;
    if (issue.code === "invalid_type" && meantAt.has(formatPath(path))) continue;
    out.push(...issueToErrors(issue, path, doc, root));
  }
  return out;
}

function segments(path: readonly PropertyKey[]): PathSegment[] {
  return path.filter((s): s is PathSegment => typeof s === "string" || typeof s === "number");
}

function issueToErrors(
  issue: z.core.$ZodIssue,
  path: PathSegment[],
  doc: SourceDocument,
  root: z.ZodType,
): LoadError[] {
  const actual = valueAt(doc.value, path);
  const schema = schemaAt(root, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeys(schema);
      return issue.keys.map((key) => {
        const listed =
          known.length > MAX_LISTED_KEYS
            ? `${known.slice(0, MAX_LISTED_KEYS).join(", ")}, …`
            : known.join(", ");
        return errorAt(doc, [...path, key], {
          message: `unknown field ${JSON.stringify(key)}`,
          path,
          ...(known.length > 0 ? { expected: `one of ${listed}` } : {}),
          ...unknownKeyHint(key, known, path),
        });
      });
    }
    case "invalid_type": {
      const parent = path.slice(0, -1);
      const last = path[path.length - 1];
      if (actual.found === false && last !== undefined) {
        return [
          errorAt(doc, parent, {
            message: `missing required field ${JSON.stringify(String(last))}`,
            ...withExpected(schema === undefined ? undefined : expectedOf(schema)),
          }),
        ];
      }
      return [
        errorAt(doc, path, {
          message: unexpected(actual.value),
          expected: (schema === undefined ? undefined : expectedOf(schema)) ?? typeWord(issue.expected),
        }),
      ];
    }
    case "invalid_union":
      return [
        errorAt(doc, path, {
          message: unexpected(actual.value),
          ...withExpected(schema === undefined ? undefined : expectedOf(schema)),
        }),
      ];
    case "invalid_value": {
      const values = issue.values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
      const suggestion = typeof actual.value === "string" ? didYouMean(actual.value, values) : undefined;
      return [
        errorAt(doc, path, {
          message: `invalid value ${preview(actual.value)}`,
          expected: values.length === 1 ? (values[0] ?? "") : `one of ${values.join(", ")}`,
          ...(suggestion === undefined ? {} : { hint: `did you mean ${JSON.stringify(suggestion)}?` }),
        }),
      ];
    }
    case "too_small":
      return [
        errorAt(doc, path, {
          message:
            typeof actual.value === "string" ? "must not be empty" : `invalid value ${preview(actual.value)}`,
          ...withExpected((schema === undefined ? undefined : expectedOf(schema)) ?? smallWord(issue)),
        }),
      ];
    case "custom": {
      const params = (issue.params ?? {}) as IssueParams;
      return [
        errorAt(doc, path, {
          message: issue.message,
          ...withExpected(params.expected),
          ...(params.hint === undefined ? {} : { hint: params.hint }),
        }),
      ];
    }
    default:
      return [
        errorAt(doc, path, {
          message: issue.message,
          ...withExpected(schema === undefined ? undefined : expectedOf(schema)),
        }),
      ];
  }
}

/** "invalid value 30" for scalars, "unexpected mapping" for structures (a value preview would not help). */
function unexpected(value: unknown): string {
  if (Array.isArray(value)) return "unexpected list";
  if (value !== null && typeof value === "object") return "unexpected mapping";
  return `invalid value ${preview(value)}`;
}

function withExpected(expected: string | undefined): { expected?: string } {
  return expected === undefined ? {} : { expected };
}

function unknownKeyHint(
  key: string,
  known: readonly string[],
  path: readonly PathSegment[],
): { hint?: string } {
  const block = path[path.length - 2];
  if (typeof block === "string" && BLOCK_NAMES.has(block) && TRY_ONLY.has(key)) {
    return { hint: `${block} runs only collectors and clean-up operations; move ${key} to try` };
  }
  const suggestion = didYouMean(key, known);
  return suggestion === undefined ? {} : { hint: `did you mean ${JSON.stringify(suggestion)}?` };
}

function typeWord(expected: string): string {
  switch (expected) {
    case "object":
    case "record":
      return "a mapping";
    case "array":
      return "a list";
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
    case "number":
    case "int":
      return "a number";
    default:
      return expected;
  }
}

function smallWord(issue: z.core.$ZodIssueTooSmall): string | undefined {
  if (issue.origin === "string") return "a non-empty string";
  if (issue.origin === "number") return `a number of at least ${String(issue.minimum)}`;
  return undefined;
}

/** The value at `path` and whether the last key exists, to tell "missing" from "wrong type". */
export function valueAt(root: unknown, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let current: unknown = root;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === "number") {
      if (segment >= current.length) return { found: false, value: undefined };
      current = current[segment] as unknown;
    } else if (current !== null && typeof current === "object" && !Array.isArray(current)) {
      const record = current as Record<string, unknown>;
      if (!Object.prototype.hasOwnProperty.call(record, String(segment)))
        return { found: false, value: undefined };
      current = record[String(segment)];
    } else {
      return { found: false, value: undefined };
    }
  }
  return { found: true, value: current };
}
