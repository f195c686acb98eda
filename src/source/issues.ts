import type * as z from "zod";
import type { PathSegment, SourceDocument } from "../model/index.ts";
import { errorAt, formatPath, type LoadError } from "./diagnostics.ts";
import {
  expectedOf,
  knownKeys,
  preview,
  schemaAt,
  unknownKeyHintOf,
  type IssueParams,
} from "./schema-kit.ts";
import { didYouMean } from "./suggest.ts";

/**
 * Zod issues as positioned errors. The schema that produced them is walked for what zod issues do not
 * carry: the keys an object accepts, the expected form of a value, a hint a schema gives for a key.
 */

const MAX_LISTED_KEYS = 10;

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
          ...unknownKeyHint(key, known, path, schema),
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
  schema: z.ZodType | undefined,
): { hint?: string } {
  const own = unknownKeyHintOf(schema, key, path);
  if (own !== undefined) return { hint: own };
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
