import type * as z from "zod";
import type { Operation, OperationBase, OperationType, PathSegment, SourceDocument } from "../model/index.ts";
import type { OperationContext, OperationOutcome } from "./types.ts";

/**
 * An operation as one self-contained unit, after Chainsaw's `pkg/engine/operations/<op>/`: how it is
 * written in a test document (schema and conversion to the model), which timeout governs it, and
 * how it runs. `registry.ts` lists one unit per operation type; the compiler refuses a type without
 * a unit and a unit without one of its parts.
 */
export interface OperationUnit<
  K extends OperationType,
  S extends z.ZodType = z.ZodType,
  C extends boolean = boolean,
> {
  readonly type: K;
  readonly document: DocumentSyntax<K, S, C>;
  readonly timeout: TimeoutClass<OperationOf<K>>;
  readonly exec: (operation: OperationOf<K>, context: OperationContext) => Promise<OperationOutcome>;
}

/** The model operation of type `K` (several types share an interface, e.g. apply/create/update). */
export type OperationOf<K extends OperationType> = (Operation extends infer T
  ? T extends { type: infer Types }
    ? K extends Types
      ? T
      : never
    : never
  : never) & { type: K };

/** Test documents come in two dialects: Chainsaw's own, and kubeproof's (Chainsaw plus extensions). */
export type Dialect = "chainsaw" | "kubeproof";

/**
 * The timeouts a configuration, test or step sets per operation class (Chainsaw's `timeouts`
 * block, less `cleanup`, which governs the deletion of what a test created, not an operation).
 */
export type ConfiguredTimeout = "apply" | "assert" | "delete" | "error" | "exec";

/**
 * Which timeout governs an operation: a configured class (the operation's own `timeout`, else its
 * step's, test's, then the configuration's, times the multiplier), or a rule of its own that derives
 * the deadline from the operation alone (sleep: its duration plus a margin).
 */
export type TimeoutClass<T> =
  { readonly configured: ConfiguredTimeout } | { readonly derived: (operation: T) => number };

/**
 * How an operation is written in a test document: under its own key (`- apply: {...}`), with a zod
 * schema for its body, and converted to the model once the schema has accepted it.
 */
export interface DocumentSyntax<
  K extends OperationType,
  S extends z.ZodType = z.ZodType,
  C extends boolean = boolean,
> {
  /** Dialects that accept it: Chainsaw's operations exist in both; extensions only in kubeproof's. */
  readonly dialects: readonly Dialect[];
  /** Allowed in catch, finally and cleanup (Chainsaw allows only collectors and clean-up there). */
  readonly inCatch: C;
  /** The body's schema in `dialect`: the same instance each call, so the JSON Schema can share it. */
  schema(dialect: Dialect): S;
  /** A body `schema` accepted → the model operation. */
  convert(body: unknown, cc: ConversionContext): OperationOf<K>;
}

/** The fields every action body may carry that end up in `OperationBase`. */
export interface CommonFields {
  timeout?: number | undefined;
  bindings?: readonly { name: string; value?: unknown }[] | undefined;
  outputs?: readonly { name: string; value?: unknown; match?: unknown }[] | undefined;
  template?: boolean | undefined;
  cluster?: string | undefined;
  clusters?: Readonly<Record<string, { kubeconfig: string; context?: string | undefined }>> | undefined;
}

/** `file:` (relative to the test, globs allowed) or an inline `resource:`, as written. */
export interface ResourceRef {
  file?: string | undefined;
  resource?: Record<string, unknown> | undefined;
}

/**
 * What a conversion needs from the loader that calls it, and nothing else: conversions stay free of
 * file reading and error collection (the loader's), so operations never import a loader.
 */
export interface ConversionContext {
  /** The document the operation is written in, and the path of its action key in it. */
  readonly doc: SourceDocument;
  readonly at: readonly PathSegment[];
  /** `OperationBase` for this operation: location, description, timeout, bindings, template… */
  base(fields: CommonFields): OperationBase;
  /**
   * The documents of a `file:` or `resource:` reference, positioned in their own files. Problems
   * (a missing file, a broken manifest) are recorded by the loader; the result is then what loaded.
   * `manifest`: each must be a Kubernetes object (apiVersion, kind), as writes need.
   */
  resources(ref: ResourceRef, options: { manifest: boolean }): SourceDocument[];
}

/** Declares a unit whose conversion is typed by its schema's output. */
export function defineUnit<K extends OperationType, S extends z.ZodType, C extends boolean>(definition: {
  type: K;
  dialects?: readonly Dialect[];
  inCatch: C;
  schema: (dialect: Dialect) => S;
  convert: (body: z.output<S>, cc: ConversionContext) => OperationOf<K>;
  timeout: TimeoutClass<OperationOf<K>>;
  exec: (operation: OperationOf<K>, context: OperationContext) => Promise<OperationOutcome>;
}): OperationUnit<K, S, C> {
  const { type, schema, convert, inCatch, timeout, exec } = definition;
  return {
    type,
    document: {
      dialects: definition.dialects ?? ["chainsaw", "kubeproof"],
      inCatch,
      schema,
      // The caller validated `body` with `schema(dialect)`: the cast is that proof, made in one place.
      convert: (body, cc) => convert(body as z.output<S>, cc),
    },
    timeout,
    exec,
  };
}

/**
 * A unit that also exists in a directory format (kuttl): its conversions from that format's
 * constructs, typed by the unit, next to its Chainsaw syntax. The format's loader calls them.
 */
export function withFormats<
  K extends OperationType,
  S extends z.ZodType,
  C extends boolean,
  F extends Record<string, unknown>,
>(unit: OperationUnit<K, S, C>, formats: F): OperationUnit<K, S, C> & { readonly formats: F } {
  return { ...unit, formats };
}

/** The fields a format that has no bindings, outputs or templating (kuttl) gives every operation. */
export function plainBase(location: OperationBase["location"], timeoutMs: number): OperationBase {
  return { location, timeoutMs, bindings: [], outputs: [], template: false, continueOnError: false };
}
