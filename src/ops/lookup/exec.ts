import { observe } from "../../kube/observe.ts";
import type { KubeObject } from "../../kube/resources.ts";
import type { LookupOperation, SourceDocument } from "../../model/index.ts";
import { formatDuration } from "../../source/duration.ts";
import type { Bindings } from "../../template/bindings.ts";
import { templateResourceRef } from "../../template/template.ts";
import {
  applyOutputs,
  identityQuery,
  operationBindings,
  querySubject,
  templateAt,
  withResourceId,
} from "../common.ts";
import { asObject, type OperationContext, type OperationOutcome } from "../types.ts";

/**
 * Waits (watching) until an object with each document's identity exists, in order; each document's
 * `outputs` are evaluated with the object found as `@`, and are visible to the next documents and to
 * the operations after this one.
 */
export async function runLookup(
  operation: LookupOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  let bindings = operationBindings(context, operation.bindings);
  let outer = context.bindings;
  const involved: KubeObject[] = [];
  for (const [index, doc] of operation.resources.entries()) {
    const scoped = withResourceId(bindings, index);
    const found = await lookUp(operation, doc, scoped, context);
    if ("error" in found) return { status: "failed", error: found.error, involved };
    involved.push(found.object);
    outer = applyOutputs(operation.outputs, outer, found.object, scoped);
    bindings = applyOutputs(operation.outputs, bindings, found.object, scoped);
  }
  return { status: "passed", involved, bindings: outer };
}

async function lookUp(
  operation: LookupOperation,
  doc: SourceDocument,
  bindings: Bindings,
  context: OperationContext,
): Promise<{ object: KubeObject } | { error: { message: string; location: SourceDocument["location"] } }> {
  const raw = structuredClone(doc.value) as Record<string, unknown>;
  const value = operation.template ? templateAt(doc, () => templateResourceRef(raw, bindings)) : raw;
  const identity = asObject(doc, value);
  const query = await identityQuery(identity, context);
  let found: KubeObject | undefined;
  await observe(context.resources, query, context.signal, (objects) => {
    found = objects[0];
    return found !== undefined;
  });
  if (found !== undefined) return { object: found };
  return {
    error: {
      message: `lookup: no ${querySubject(query)} exists (after ${formatDuration(context.timeoutMs)})`,
      location: doc.location,
    },
  };
}
