import { setTimeout as sleep } from "node:timers/promises";
import { ApiError, type ApiWarning } from "../../kube/client.ts";
import { UnknownKindError } from "../../kube/discovery.ts";
import type { KubeObject } from "../../kube/resources.ts";
import type { ApplyOperation, FailureDetail, PatchOperation, SourceDocument } from "../../model/index.ts";
import type { Bindings } from "../../template/bindings.ts";
import {
  apiErrorMessage,
  checkExpectations,
  operationBindings,
  prepareObject,
  resolveObject,
  resolveOutputs,
  withResourceId,
} from "../common.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";
import { forceGracePeriod } from "./grace-period.ts";
import { errorMessage } from "../../source/errors.ts";

const retryPauseMs = 200;

/**
 * apply (create when absent, else JSON merge patch: Chainsaw's semantics), create (must not exist),
 * update (must exist, replaced), patch (must exist, merge patch). Every resource of the operation, in
 * order, each with `$operation.resourceId` and, for `expect` and `outputs`, `$error` and `$warnings`.
 * Like Chainsaw, a write is retried until the operation's timeout while the failure can pass by itself
 * (a kind whose CRD is not served yet, a conflict, a webhook or server error). Objects that did not
 * exist before are recorded for cleanup.
 */
export async function runApply(
  operation: ApplyOperation | PatchOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  let outer = context.bindings;
  let scope = operationBindings(context, operation.bindings);
  const involved: KubeObject[] = [];
  for (const [index, doc] of operation.resources.entries()) {
    const bindings = withResourceId(scope, index);
    const outcome = await applyResource(operation, doc, bindings, context);
    if (outcome.result) involved.push(outcome.result);
    if (outcome.failure) return { status: "failed", error: outcome.failure, involved };
    if (outcome.result) {
      for (const { name, value } of resolveOutputs(operation.outputs, outcome.bindings, outcome.result)) {
        outer = outer.with(name, value);
        scope = scope.with(name, value);
      }
    }
  }
  return { status: "passed", bindings: outer, involved };
}

interface ResourceOutcome {
  result?: KubeObject;
  failure?: FailureDetail;
  /** The bindings `outputs` see: the operation's, `$error` and `$warnings`. */
  bindings: Bindings;
}

async function applyResource(
  operation: ApplyOperation | PatchOperation,
  doc: SourceDocument,
  bindings: Bindings,
  context: OperationContext,
): Promise<ResourceOutcome> {
  for (;;) {
    const warnings: ApiWarning[] = [];
    let object: KubeObject | undefined;
    let result: KubeObject | undefined;
    let caught: unknown;
    try {
      object = await prepareObject(resolveObject(doc, bindings, operation.template), context);
      if (operation.type === "apply" || operation.type === "create")
        forceGracePeriod(object, context.forceTerminationGracePeriodMs);
      result = await write(operation, object, context, (warning) => warnings.push(warning));
    } catch (error) {
      // A templating error names its own location: it is not the server's answer to retry or check.
      if (object === undefined && !(error instanceof UnknownKindError)) throw error;
      caught = error;
    }
    const error =
      caught === undefined
        ? undefined
        : { raw: errorMessage(caught), display: apiErrorMessage(caught, object) };
    const scope = bindings.with("error", error?.raw ?? null).with("warnings", warnings);
    const verdict = checkExpectations(operation.expect, result ?? object ?? null, error, scope, doc.location);
    const failure =
      verdict === "no-expectation" ? error && { message: error.display, location: doc.location } : verdict;
    if (!failure) return { result, bindings: scope };
    if (caught === undefined || !passing(caught) || context.signal.aborted)
      return { result, failure, bindings: scope };
    await sleep(retryPauseMs, undefined, { signal: context.signal }).catch(() => {});
  }
}

/** Failures that can go away by themselves while the operation waits. */
function passing(error: unknown): boolean {
  if (error instanceof UnknownKindError) return true;
  if (!(error instanceof ApiError)) return false;
  return (error.status === 409 && error.reason === "Conflict") || error.status === 429 || error.status >= 500;
}

async function write(
  operation: ApplyOperation | PatchOperation,
  object: KubeObject,
  context: OperationContext,
  onWarning: (warning: ApiWarning) => void,
): Promise<KubeObject> {
  const options = { dryRun: operation.dryRun, onWarning };
  let result: KubeObject;
  let created: boolean;
  switch (operation.type) {
    case "apply":
      ({ object: result, created } = await context.resources.createOrPatch(object, options));
      break;
    case "create":
      result = await context.resources.create(object, options);
      created = true;
      break;
    case "update":
      result = await context.resources.update(object, options);
      created = false;
      break;
    case "patch":
      result = await context.resources.patch(object, { ...options, subresource: operation.subresource });
      created = false;
      break;
  }
  if (created && !operation.dryRun && result.metadata.name) {
    context.onCreated({
      apiVersion: result.apiVersion ?? object.apiVersion,
      kind: result.kind ?? object.kind,
      name: result.metadata.name,
      namespace: result.metadata.namespace,
    });
  }
  return result;
}
