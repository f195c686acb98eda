import type { KubeObject } from "../kube/resources.ts";
import type { ApplyOperation, PatchOperation } from "../model/index.ts";
import {
  apiErrorMessage,
  applyOutputs,
  checkExpectations,
  failed,
  operationBindings,
  prepareObject,
  resolveObject,
} from "./common.ts";
import type { OperationContext, OperationOutcome } from "./types.ts";

/**
 * apply (server-side apply: create or update), create (must not exist), update (must exist, replaced),
 * patch (must exist, merge patch). Every resource of the operation, in order. Objects that did not exist
 * before are recorded for cleanup.
 */
export async function runApply(
  operation: ApplyOperation | PatchOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  let bindings = operationBindings(context, operation.bindings);
  const involved: KubeObject[] = [];
  for (const doc of operation.resources) {
    const object = await prepareObject(resolveObject(doc, bindings, operation.template), context);
    let result: KubeObject | undefined;
    let error: string | undefined;
    try {
      const existedBefore =
        operation.type === "apply" && object.metadata.name
          ? (await context.resources.get({ ...object, ...object.metadata, name: object.metadata.name })) !==
            undefined
          : operation.type !== "create";
      result = await write(operation, object, context);
      if (!existedBefore && !operation.dryRun && result.metadata.name) {
        context.onCreated({
          apiVersion: result.apiVersion ?? object.apiVersion,
          kind: result.kind ?? object.kind,
          name: result.metadata.name,
          namespace: result.metadata.namespace,
        });
      }
      involved.push(result);
    } catch (caught) {
      error = apiErrorMessage(caught, object);
    }
    const verdict = checkExpectations(operation.expect, result ?? object, error, bindings, doc.location);
    if (verdict === "no-expectation") {
      if (error) return { ...failed(error, { location: doc.location }), involved };
    } else if (verdict) {
      return { status: "failed", error: verdict, involved };
    }
    if (result) bindings = applyOutputs(operation.outputs, bindings, result);
  }
  return { status: "passed", bindings, involved };
}

function write(
  operation: ApplyOperation | PatchOperation,
  object: KubeObject,
  context: OperationContext,
): Promise<KubeObject> {
  const options = { dryRun: operation.dryRun };
  switch (operation.type) {
    case "apply":
      return context.resources.apply(object, options);
    case "create":
      return context.resources.create(object, options);
    case "update":
      return context.resources.update(object, options);
    case "patch":
      return context.resources.patch(object, options);
  }
}
