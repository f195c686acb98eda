import * as z from "zod";
import { DURATION_EXAMPLES, DURATION_PATTERN, parseDuration } from "./duration.ts";

/**
 * Building blocks shared by the test and configuration schemas, plus the small amount of schema
 * introspection the error formatter needs (which keys an object accepts, what a field expects).
 * Zod issues alone do not carry that, and a good message ("expected one of file, resource") needs it.
 */

/** Per-schema text for "— expected …" in messages, looked up by the error formatter. */
const expectations = new WeakMap<z.ZodType, string>();
/** Keys that exist in the shape only to give a better error; never listed as accepted keys. */
const hidden = new WeakSet<z.ZodType>();

export function withExpected<T extends z.ZodType>(schema: T, expected: string): T {
  expectations.set(schema, expected);
  return schema;
}

/** The expectation registered on `schema` or on any wrapper inside it (optional, default, pipe…). */
export function expectedOf(schema: z.ZodType): string | undefined {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const found = expectations.get(s);
    if (found !== undefined) return found;
    const inner = unwrapOnce(s);
    if (inner === undefined) return undefined;
    s = inner;
  }
  return undefined;
}

/** Explains an unknown key better than "did you mean": `(key, path of the object) => hint`. */
export type UnknownKeyHint = (key: string, path: readonly PropertyKey[]) => string | undefined;
const keyHints = new WeakMap<z.ZodType, UnknownKeyHint>();

export function withUnknownKeyHint<T extends z.ZodType>(schema: T, hint: UnknownKeyHint): T {
  keyHints.set(schema, hint);
  return schema;
}

/** The hint `schema` (or a wrapper inside it) gives for an unknown `key`, if any. */
export function unknownKeyHintOf(
  schema: z.ZodType | undefined,
  key: string,
  path: readonly PropertyKey[],
): string | undefined {
  let s = schema;
  for (let i = 0; i < 20 && s !== undefined; i++) {
    const hint = keyHints.get(s);
    if (hint !== undefined) return hint(key, path);
    s = unwrapOnce(s);
  }
  return undefined;
}

export function isHidden(schema: z.ZodType): boolean {
  return hidden.has(schema);
}

/** Extra detail a custom issue may carry for the formatter. */
export interface IssueParams {
  expected?: string;
  hint?: string;
  /** The field is valid Chainsaw that kubeproof does not implement (a test with `skip: true` may hold it). */
  unsupported?: true;
}

/** Types the free-form `params` of a custom zod issue; the formatter reads them back. */
export function issueParams(params: IssueParams): IssueParams {
  return params;
}

/** A Go-style duration string, converted to milliseconds. */
export function duration(description: string) {
  return withExpected(
    z
      .string()
      .regex(new RegExp(DURATION_PATTERN), { error: (iss) => `invalid duration ${preview(iss.input)}` })
      .transform((text) => parseDuration(text) ?? 0)
      .describe(description),
    DURATION_EXPECTED,
  );
}

/** A duration that must be greater than zero (timeouts). */
export function timeout(description: string) {
  return withExpected(
    z
      .string()
      .regex(new RegExp(DURATION_PATTERN), { error: (iss) => `invalid duration ${preview(iss.input)}` })
      .transform((text) => parseDuration(text) ?? 0)
      .refine((ms) => ms > 0, { error: "a timeout must be greater than zero" })
      .describe(description),
    DURATION_EXPECTED,
  );
}

const DURATION_EXPECTED = `a duration such as ${DURATION_EXAMPLES}`;

/**
 * A field Chainsaw defines that kubeproof does not implement yet. Accepting it silently would run the
 * test differently from Chainsaw, so it is an error that says so instead of "unknown field".
 */
export function unsupported(message: string, hint?: string) {
  const s = z
    .unknown()
    .superRefine((_value, ctx) => {
      ctx.addIssue({
        code: "custom",
        message,
        params: issueParams(hint === undefined ? { unsupported: true } : { hint, unsupported: true }),
      });
    })
    .optional();
  hidden.add(s);
  return s;
}

/**
 * A field the original tool drops without a word (kuttl's decoder ignores unknown fields): accepted
 * and ignored, and left out of "expected one of" lists; the loader warns about it.
 */
export function ignoredField(description: string) {
  const s = z.unknown().optional().describe(description);
  hidden.add(s);
  return s;
}

/** A field of Chainsaw's flat `v1alpha1` configuration written in a grouped one: say where it went. */
export function movedTo(field: string, newPath: string, layout: string) {
  const s = z
    .unknown()
    .superRefine((_value, ctx) => {
      ctx.addIssue({
        code: "custom",
        message: `${JSON.stringify(field)} is not a top-level field in ${layout}`,
        params: issueParams({ hint: `move it to spec.${newPath}` }),
      });
    })
    .optional();
  hidden.add(s);
  return s;
}

/** A kubeproof extension field seen under a Chainsaw apiVersion. */
export function extensionOnly(field: string) {
  const s = z
    .unknown()
    .superRefine((_value, ctx) => {
      ctx.addIssue({
        code: "custom",
        message: `"${field}" is a kubeproof extension and is not part of Chainsaw's format`,
        params: issueParams({ hint: "set apiVersion: kubeproof.dev/v1alpha1 to use kubeproof extensions" }),
      });
    })
    .optional();
  hidden.add(s);
  return s;
}

function unwrapOnce(s: z.ZodType): z.ZodType | undefined {
  if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
    return s.unwrap() as z.ZodType;
  }
  if (s instanceof z.ZodPrefault || s instanceof z.ZodReadonly || s instanceof z.ZodCatch) {
    return s.unwrap() as z.ZodType;
  }
  if (s instanceof z.ZodLazy) return s.unwrap() as z.ZodType;
  if (s instanceof z.ZodPipe) return s.in as z.ZodType;
  return undefined;
}

/** Strips wrappers that do not change which keys or values are accepted. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 20; i++) {
    const inner = unwrapOnce(s);
    if (inner === undefined) return s;
    s = inner;
  }
  return s;
}

/** The schema that validates the value at `path` below `root` (first match through unions). */
export function schemaAt(root: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = root;
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = childSchema(unwrap(current), segment);
  }
  return current;
}

function childSchema(s: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, z.ZodType>;
    return typeof segment === "string" ? shape[segment] : undefined;
  }
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  if (s instanceof z.ZodUnion) {
    for (const option of s.options as readonly z.ZodType[]) {
      const child = childSchema(unwrap(option), segment);
      if (child !== undefined) return child;
    }
  }
  return undefined;
}

/** The keys an object schema accepts, in declaration order, without the hidden ones. */
export function knownKeys(schema: z.ZodType | undefined): string[] {
  if (schema === undefined) return [];
  const s = unwrap(schema);
  if (!(s instanceof z.ZodObject)) return [];
  const shape = s.shape as Record<string, z.ZodType>;
  return Object.keys(shape).filter((key) => {
    const field = shape[key];
    return field !== undefined && !hidden.has(field);
  });
}

/** A short, single-line rendering of a user value for messages. */
export function preview(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const text = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(text);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return typeof value;
}
