import * as z from "zod";
import type { WaitFor } from "../../model/index.ts";
import { defined, objectRef } from "../convert-parts.ts";
import {
  atMostOne,
  clusterFields,
  common,
  exactlyOneOf,
  format,
  objectName,
  objectType,
  selector,
} from "../schema-parts.ts";
import { defineUnit } from "../unit.ts";
import { runWait } from "./exec.ts";

/** wait: kubectl wait, watch-driven (a condition, a JSONPath value, creation or deletion). */

const waitFor = z
  .strictObject({
    deletion: z.strictObject({}).optional().describe("Wait until the objects are deleted."),
    creation: z
      .strictObject({})
      .optional()
      .describe("Wait until the objects exist (kubectl wait --for=create)."),
    condition: z
      .strictObject({
        name: z.string().min(1).describe("Condition type, e.g. Ready."),
        value: z.string().optional().describe("Condition status, e.g. 'true'."),
      })
      .optional(),
    jsonPath: z
      .strictObject({
        path: z.string().min(1).describe("JSONPath, e.g. '{.status.phase}'."),
        value: z.string().optional().describe("Expected value, e.g. Running."),
      })
      .optional(),
  })
  .superRefine(exactlyOneOf(["condition", "creation", "deletion", "jsonPath"], "wait.for"));

const schema = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...objectType,
    ...objectName,
    ...selector,
    format: format.optional(),
    for: waitFor,
  })
  .superRefine(atMostOne(["name", "selector"], "wait"));

function toWaitFor(v: z.output<typeof waitFor>): WaitFor {
  if (v.condition !== undefined)
    return { condition: { name: v.condition.name, ...defined({ value: v.condition.value }) } };
  if (v.jsonPath !== undefined)
    return { jsonPath: { path: v.jsonPath.path, ...defined({ value: v.jsonPath.value }) } };
  if (v.creation !== undefined) return { creation: true };
  return { deletion: true };
}

export const waitUnit = defineUnit({
  type: "wait",
  inCatch: true,
  schema: () => schema,
  convert: (v, cc) => ({
    ...cc.base(v),
    type: "wait",
    ref: objectRef(v),
    for: toWaitFor(v.for),
    ...defined({ format: v.format }),
  }),
  timeout: { configured: "assert" },
  exec: runWait,
});
