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
import { defineUnit } from "../unit.ts";
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

export const deleteUnit = defineUnit({
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
});
