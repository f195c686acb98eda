import type { Operation, OperationBase, PathSegment, SourceDocument } from "../model/index.ts";
import type { ParsedOperation } from "../config/operation-schema.ts";
import { OPERATION_TYPES, unitOf } from "../ops/registry.ts";
import { bindings, clusterSelection, defined, outputs } from "../ops/convert-parts.ts";
import type { CommonFields, ConversionContext, ResourceRef } from "../ops/unit.ts";
import { errorAt, formatPath, type LoadError } from "../source/diagnostics.ts";
import { subDocument } from "../source/yaml.ts";
import { checkManifest, loadFileReference } from "./files.ts";
import type { LoadContext } from "./loader.ts";

export { bindings, defined };

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

/**
 * Validated Chainsaw operations (try, catch, finally or cleanup) → model operations. Each is
 * converted by the unit of its action (src/ops/registry.ts); the schema accepted exactly one action,
 * so every validated operation converts.
 */
export function convertOperations(
  ops: readonly ParsedOperation[] | undefined,
  path: readonly PathSegment[],
  oc: OperationContext,
): Operation[] {
  return (ops ?? []).map((op, i) => convertOperation(op, [...path, i], oc));
}

function convertOperation(op: ParsedOperation, path: PathSegment[], oc: OperationContext): Operation {
  const action = OPERATION_TYPES.find((type) => op[type] !== undefined);
  if (action === undefined) {
    // The schema refuses an operation without an action; reaching here is a bug, not a user error.
    throw new Error(`${formatPath(path)}: a validated operation holds no action`);
  }
  const at: PathSegment[] = [...path, action];
  return unitOf(action).document.convert(op[action], conversionContext(op, at, oc));
}

function conversionContext(op: ParsedOperation, at: PathSegment[], oc: OperationContext): ConversionContext {
  return {
    doc: oc.doc,
    at,
    base: (fields: CommonFields): OperationBase => ({
      location: oc.doc.locate(at),
      ...defined({
        description: op.description,
        timeoutMs: fields.timeout,
        compiler: op.compiler,
        when: op.when,
      }),
      bindings: bindings(fields.bindings),
      outputs: outputs(fields.outputs),
      template: fields.template ?? oc.template,
      continueOnError: op.continueOnError ?? false,
      ...clusterSelection(fields, oc.baseDir),
    }),
    resources: (ref, options) => resources(ref, at, oc, options.manifest),
  };
}

/** A `file:` reference loaded (with positions in its own file), or the inline `resource:`. */
function resources(
  v: ResourceRef,
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
