import type { KubeObject, ObjectQuery } from "../../kube/resources.ts";
import { describeHeld, hasFinalizers, waitForDeletion } from "../../kube/deletion.ts";
import type { DeleteOperation } from "../../model/index.ts";
import { templateResourceRef, templateString } from "../../template/template.ts";
import type { ApiWarning } from "../../kube/client.ts";
import {
  apiErrorMessage,
  checkExpectations,
  operationBindings,
  templateAt,
  withResourceId,
} from "../common.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";
import { asObject } from "../types.ts";
import { formatDuration } from "../../source/duration.ts";
import { errorMessage } from "../../source/errors.ts";

/**
 * Deletes the referenced objects (by name, or by labels when the reference names none) and waits until
 * they are gone, like Chainsaw (with `waitFor: finalizers`, only while finalizers hold them): finalizers
 * that never finish make the operation time out, naming them.
 */
export async function runDelete(
  operation: DeleteOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const queries: { query: ObjectQuery; location: DeleteOperation["location"] }[] = [];
  if (operation.ref) {
    const ref = operation.ref;
    const t = (value: string | undefined): string | undefined =>
      value === undefined || !operation.template ? value : templateString(value, bindings);
    queries.push({
      query: {
        apiVersion: t(ref.apiVersion)!,
        kind: t(ref.kind)!,
        name: t(ref.name),
        namespace: t(ref.namespace),
        labelSelector: t(ref.selector),
      },
      location: operation.location,
    });
  }
  for (const [index, doc] of operation.resources.entries()) {
    const raw = structuredClone(doc.value) as Record<string, unknown>;
    const scope = withResourceId(bindings, index);
    const object = asObject(
      doc,
      operation.template ? templateAt(doc, () => templateResourceRef(raw, scope)) : raw,
    );
    const labels = object.metadata.labels;
    queries.push({
      query: {
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace,
        labelSelector:
          !object.metadata.name && labels
            ? Object.entries(labels)
                .map(([k, v]) => `${k}=${v}`)
                .join(",")
            : undefined,
      },
      location: doc.location,
    });
  }
  const involved: KubeObject[] = [];
  for (const { query, location } of queries) {
    const info = await context.resources.info(query.apiVersion, query.kind);
    if (info.namespaced) query.namespace ??= context.namespace;
    let error: { raw: string; display: string } | undefined;
    let deleted: KubeObject[] = [];
    const warnings: ApiWarning[] = [];
    try {
      deleted = await context.resources.delete(query, {
        propagation: operation.propagationPolicy ?? context.propagation,
        onWarning: (warning) => warnings.push(warning),
      });
      involved.push(...deleted);
      await waitGone(deleted, query, context, operation.waitFor);
    } catch (caught) {
      error = { raw: errorMessage(caught), display: apiErrorMessage(caught) };
    }
    const verdict = checkExpectations(
      operation.expect,
      deleted[0] ?? null,
      error,
      bindings.with("warnings", warnings),
      location,
    );
    if (verdict === "no-expectation") {
      if (error) return { status: "failed", error: { message: error.display, location }, involved };
    } else if (verdict) {
      return { status: "failed", error: verdict, involved };
    }
  }
  return { status: "passed", involved };
}

/**
 * Waits until every deleted object is gone (or, with `finalizers`, every one that finalizers hold);
 * on timeout, names the finalizers still holding them.
 */
async function waitGone(
  deleted: KubeObject[],
  query: ObjectQuery,
  context: OperationContext,
  waitFor: DeleteOperation["waitFor"],
): Promise<void> {
  const targets = deleted.map((object) => ({
    ...object,
    apiVersion: query.apiVersion,
    kind: query.kind,
    metadata: { ...object.metadata, namespace: object.metadata.namespace ?? query.namespace },
  }));
  const remaining = await waitForDeletion(
    context.resources,
    targets,
    context.signal,
    waitFor === "finalizers" ? { holds: hasFinalizers } : {},
  );
  if (remaining.length > 0)
    throw new Error(
      `still present after ${formatDuration(context.timeoutMs)}: ${remaining.map(describeHeld).join("; ")}`,
    );
}
