import { resourceAction, withOutputs } from "../schema-parts.ts";
import { defineUnit } from "../unit.ts";
import { runLookup } from "./exec.ts";

/**
 * lookup: the objects a document names exist (by name, or kind and labels); `outputs` see the one
 * found as `@`. From Chainsaw's `Lookup` type (pkg/apis/v1alpha1/lookup.go of its lookup pull request:
 * "resources that should be looked up; if a resource doesn't exist in the cluster it will fail",
 * with timeout, bindings, outputs, cluster, file/resource and template). The document's other fields
 * are not compared: that is assert's job.
 */
const lookupSchema = resourceAction("lookup", { ...withOutputs });

export const lookupUnit = defineUnit({
  type: "lookup",
  inCatch: false,
  schema: () => lookupSchema,
  convert: (v, cc) => ({ ...cc.base(v), type: "lookup", resources: cc.resources(v, { manifest: true }) }),
  timeout: { configured: "assert" },
  exec: runLookup,
});
