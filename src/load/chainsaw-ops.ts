import type {
  AssertMode,
  Binding,
  EnvVar,
  Expectation,
  ListMatch,
  ObjectRef,
  Operation,
  OperationBase,
  PathSegment,
  SourceDocument,
  WaitFor,
} from "../model/index.ts";
import { TRY_ACTIONS, type ParsedBinding, type ParsedOperation } from "../config/operation-schema.ts";
import { errorAt, formatPath, type LoadError } from "../source/diagnostics.ts";
import { checkManifest, loadFileReference } from "./files.ts";
import type { LoadContext } from "./loader.ts";
import { subDocument } from "../source/yaml.ts";

/** What converting operations needs to know about where they were written. */
export interface OperationContext {
  /** The document the operations are written in (test file or configuration). */
  doc: SourceDocument;
  /** Directory `file:` references are relative to. */
  baseDir: string;
  load: LoadContext;
  /** Inherited `template` default (step, then test, then configuration). */
  template: boolean;
  /** Collects problems; conversion goes on so that one run reports them all. */
  errors: LoadError[];
}

type Action = (typeof TRY_ACTIONS)[number];
type ParsedOutput = ParsedBinding & { match?: unknown };

/** The fields every action may carry that end up in `OperationBase`. */
interface BaseFields {
  timeout?: number | undefined;
  bindings?: readonly ParsedBinding[] | undefined;
  outputs?: readonly ParsedOutput[] | undefined;
  template?: boolean | undefined;
}
type MakeBase = (fields: BaseFields) => OperationBase;

/** Validated Chainsaw operations (try, catch, finally or cleanup) → model operations. */
export function convertOperations(
  ops: readonly ParsedOperation[] | undefined,
  path: readonly PathSegment[],
  oc: OperationContext,
): Operation[] {
  const out: Operation[] = [];
  (ops ?? []).forEach((op, i) => {
    const converted = convertOperation(op, [...path, i], oc);
    if (converted !== undefined) out.push(converted);
  });
  return out;
}

function convertOperation(
  op: ParsedOperation,
  path: PathSegment[],
  oc: OperationContext,
): Operation | undefined {
  const action = TRY_ACTIONS.find((a) => op[a] !== undefined);
  if (action === undefined) return undefined;
  const at: PathSegment[] = [...path, action];
  const base: MakeBase = (fields) => ({
    location: oc.doc.locate(at),
    ...(op.description === undefined ? {} : { description: op.description }),
    ...(fields.timeout === undefined ? {} : { timeoutMs: fields.timeout }),
    bindings: bindings(fields.bindings),
    outputs: outputs(fields.outputs),
    template: fields.template ?? oc.template,
    continueOnError: op.continueOnError ?? false,
  });
  return convertAction(action, op, at, base, oc);
}

function convertAction(
  action: Action,
  op: ParsedOperation,
  at: PathSegment[],
  base: MakeBase,
  oc: OperationContext,
): Operation | undefined {
  switch (action) {
    case "apply":
    case "create":
    case "update": {
      const v = op[action];
      if (v === undefined) return undefined;
      return {
        ...base(v),
        type: action,
        resources: resources(v, at, oc, true),
        dryRun: v.dryRun ?? false,
        expect: expectations(v.expect),
      };
    }
    case "patch": {
      const v = op.patch;
      if (v === undefined) return undefined;
      return {
        ...base(v),
        type: "patch",
        resources: resources(v, at, oc, true),
        dryRun: v.dryRun ?? false,
        expect: expectations(v.expect),
        ...defined({ subresource: v.subresource }),
      };
    }
    case "assert":
    case "error": {
      const v = op[action];
      if (v === undefined) return undefined;
      return {
        ...base(v),
        type: action,
        resources: resources(v, at, oc, false),
        listMatch: asListMatch(v.listMatch),
        mode: asAssertMode(v.mode),
      };
    }
    case "delete": {
      const v = op.delete;
      if (v === undefined) return undefined;
      return {
        ...base(v),
        type: "delete",
        resources: v.file === undefined ? [] : resources({ file: v.file }, at, oc, true),
        ...(v.ref === undefined
          ? {}
          : { ref: objectRef({ ...v.ref, selector: labelSelector(v.ref.labels) }) }),
        ...(v.deletionPropagationPolicy === undefined
          ? {}
          : { propagationPolicy: v.deletionPropagationPolicy }),
        expect: expectations(v.expect),
      };
    }
    case "wait": {
      const v = op.wait;
      if (v === undefined) return undefined;
      return {
        ...base(v),
        type: "wait",
        ref: objectRef(v),
        for: waitFor(v.for),
        ...(v.format === undefined ? {} : { format: v.format }),
      };
    }
    case "sleep":
      return op.sleep === undefined
        ? undefined
        : { ...base({}), type: "sleep", durationMs: op.sleep.duration };
    case "script":
    case "command":
      return processOperation(action, op, base);
    case "get":
    case "describe":
      return getOperation(action, op, base);
    case "events": {
      const v = op.events;
      if (v === undefined) return undefined;
      return {
        ...base(v),
        type: "events",
        ...defined({ name: v.name, namespace: v.namespace, selector: v.selector, format: v.format }),
      };
    }
    case "podLogs": {
      const v = op.podLogs;
      if (v === undefined) return undefined;
      return {
        ...base(v),
        type: "podLogs",
        ...defined({
          name: v.name,
          namespace: v.namespace,
          selector: v.selector,
          container: v.container,
          tail: v.tail,
        }),
      };
    }
  }
}

function processOperation(
  action: "script" | "command",
  op: ParsedOperation,
  base: MakeBase,
): Operation | undefined {
  const common = (v: NonNullable<ParsedOperation["script"]> | NonNullable<ParsedOperation["command"]>) => ({
    ...base(v),
    env: envVars(v.env),
    skipLogOutput: v.skipLogOutput ?? false,
    ...defined({ workDir: v.workDir, check: v.check, skipCommandOutput: v.skipCommandOutput }),
  });
  if (action === "script") {
    const v = op.script;
    if (v === undefined) return undefined;
    return {
      ...common(v),
      type: "script",
      content: v.content,
      ...defined({ shell: v.shell, shellArgs: v.shellArgs }),
    };
  }
  const v = op.command;
  if (v === undefined) return undefined;
  return { ...common(v), type: "command", entrypoint: v.entrypoint, args: v.args ?? [] };
}

function getOperation(
  action: "get" | "describe",
  op: ParsedOperation,
  base: MakeBase,
): Operation | undefined {
  if (action === "get") {
    const v = op.get;
    if (v === undefined) return undefined;
    return { ...base(v), type: "get", ref: objectRef(v), ...defined({ format: v.format }) };
  }
  const v = op.describe;
  if (v === undefined) return undefined;
  return { ...base(v), type: "describe", ref: objectRef(v), ...defined({ showEvents: v.showEvents }) };
}

function resources(
  v: { file?: string | undefined; resource?: Record<string, unknown> | undefined },
  at: PathSegment[],
  oc: OperationContext,
  manifest: boolean,
): SourceDocument[] {
  if (v.file !== undefined) {
    const result = loadFileReference(
      {
        pattern: v.file,
        baseDir: oc.baseDir,
        manifest,
        errorAtRef: (detail) => errorAt(oc.doc, [...at, "file"], { ...detail, path: at }),
      },
      oc.load,
    );
    oc.errors.push(...result.errors);
    return result.documents;
  }
  if (v.resource === undefined) return [];
  const doc = subDocument(oc.doc, [...at, "resource"]);
  if (manifest) oc.errors.push(...checkManifest(doc, formatPath([...at, "resource"])));
  return [doc];
}

export function bindings(list: readonly ParsedBinding[] | undefined): Binding[] {
  return (list ?? []).map((b) => ({ name: b.name, value: b.value }));
}

function outputs(list: readonly ParsedOutput[] | undefined): Binding[] {
  return (list ?? []).map((o) => ({
    name: o.name,
    value: o.value,
    ...(o.match === undefined ? {} : { match: o.match }),
  }));
}

function expectations(list: readonly { match?: unknown; check: unknown }[] | undefined): Expectation[] {
  return (list ?? []).map((e) => ({ ...(e.match === undefined ? {} : { match: e.match }), check: e.check }));
}

function envVars(list: readonly { name: string; value: string | number | boolean }[] | undefined): EnvVar[] {
  return (list ?? []).map((e) => ({ name: e.name, value: String(e.value) }));
}

function objectRef(v: {
  apiVersion: string;
  kind: string;
  name?: string | undefined;
  namespace?: string | undefined;
  selector?: string | undefined;
}): ObjectRef {
  return {
    apiVersion: v.apiVersion,
    kind: v.kind,
    ...defined({ name: v.name, namespace: v.namespace, selector: v.selector }),
  };
}

/** Chainsaw's `delete.ref.labels` map as the selector string the rest of the model uses. */
function labelSelector(labels: Record<string, string> | undefined): string | undefined {
  if (labels === undefined) return undefined;
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? undefined : parts.join(",");
}

function waitFor(v: {
  deletion?: object | undefined;
  condition?: { name: string; value?: string | undefined } | undefined;
  jsonPath?: { path: string; value?: string | undefined } | undefined;
}): WaitFor {
  if (v.condition !== undefined)
    return { condition: { name: v.condition.name, ...defined({ value: v.condition.value }) } };
  if (v.jsonPath !== undefined)
    return { jsonPath: { path: v.jsonPath.path, ...defined({ value: v.jsonPath.value }) } };
  return { deletion: true };
}

/** The dialect schemas type these as `unknown` under Chainsaw (where they are refused), so narrow here. */
function asListMatch(value: unknown): ListMatch {
  return value === "contains" ? "contains" : "exact";
}

function asAssertMode(value: unknown): AssertMode {
  return value === "consistently" || value === "never" ? value : "eventually";
}

/** Drops undefined fields: the model uses absent optional fields, not `undefined` values. */
function defined<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

export { defined };
