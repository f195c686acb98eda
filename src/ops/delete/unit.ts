import * as z from "zod";
import { defined, expectations, labelSelector, objectRef } from "../convert-parts.ts";
import {
  clusterFields,
  common,
  deletionPropagation,
  exactlyOneOf,
  expectation,
  objectName,
  objectType,
  resourceRef,
  templateFlag,
  withBindings,
} from "../schema-parts.ts";
import type { DeleteOperation, PathSegment, SourceDocument } from "../../model/index.ts";
import { defineUnit, plainBase, withFormats } from "../unit.ts";
import { runDelete } from "./exec.ts";

/** delete: the objects of a file or a reference (by name or labels), waiting until they are gone. */

const schema = z
  .strictObject({
    ...common,
    ...withBindings,
    ...clusterFields,
    ...templateFlag,
    file: resourceRef.file,
    ref: z
      .strictObject({
        ...objectType,
        ...objectName,
        labels: z.record(z.string(), z.string()).optional().describe("Label selector as a map."),
      })
      .optional(),
    expect: z.array(expectation).optional(),
    deletionPropagationPolicy: deletionPropagation.optional(),
  })
  .superRefine(exactlyOneOf(["file", "ref"], "delete"));

export const deleteUnit = withFormats(
  defineUnit({
    type: "delete",
    inCatch: true,
    schema: () => schema,
    convert: (v, cc) => ({
      ...cc.base(v),
      type: "delete",
      resources: v.file === undefined ? [] : cc.resources({ file: v.file }, { manifest: true }),
      ...(v.ref === undefined ? {} : { ref: objectRef({ ...v.ref, selector: labelSelector(v.ref.labels) }) }),
      ...defined({ propagationPolicy: v.deletionPropagationPolicy }),
      expect: expectations(v.expect),
    }),
    timeout: { configured: "delete" },
    exec: runDelete,
  }),
  { kuttl: { stepDelete: fromKuttlRef } },
);

/** A reference in a kuttl TestStep's `delete` list. */
export interface KuttlDeleteRef {
  apiVersion: string;
  kind: string;
  name?: string | undefined;
  namespace?: string | undefined;
  labels?: Record<string, string> | null | undefined;
}

/**
 * TestStep `delete[i]`: deletes by name, else by labels, else every object of the kind in the
 * namespace, then waits until they are gone (kuttl's DeleteExisting). Missing objects are fine.
 */
function fromKuttlRef(
  doc: SourceDocument,
  at: readonly PathSegment[],
  ref: KuttlDeleteRef,
  timeoutMs: number,
): DeleteOperation {
  const metadata = defined({ name: ref.name, namespace: ref.namespace, labels: ref.labels ?? undefined });
  // The reference is flat (name, labels); the delete operation reads an object (metadata.name…).
  const target: SourceDocument = {
    value: { apiVersion: ref.apiVersion, kind: ref.kind, metadata },
    location: doc.locate(at),
    locate: (path) => doc.locate([...at, ...(path[0] === "metadata" ? path.slice(1) : path)]),
  };
  return { ...plainBase(doc.locate(at), timeoutMs), type: "delete", resources: [target], expect: [] };
}
