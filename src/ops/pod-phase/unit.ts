import * as z from "zod";
import { defined } from "../convert-parts.ts";
import { podSelection } from "../pods.ts";
import { atMostOne, clusterFields, common } from "../schema-parts.ts";
import { defineUnit } from "../unit.ts";
import { runAssertPodPhase } from "./exec.ts";

/** assertPodPhase: a pod reaches a phase; Failed (when not expected) fails at once. */

export const POD_PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;

const schema = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...podSelection,
    phase: z
      .enum(POD_PHASES)
      .default("Succeeded")
      .describe("The phase to reach (default Succeeded). A Failed pod fails at once unless this is Failed."),
    missing: z
      .enum(["wait", "fail"])
      .default("wait")
      .describe("A pod that does not exist: wait for it (default) or fail at once."),
  })
  .superRefine(atMostOne(["name", "namePrefix", "selector"], "assertPodPhase"));

export const assertPodPhaseUnit = defineUnit({
  type: "assertPodPhase",
  dialects: ["kubeproof"],
  inCatch: false,
  schema: () => schema,
  convert: (v, cc) => ({
    ...cc.base(v),
    type: "assertPodPhase",
    phase: v.phase,
    missing: v.missing,
    ...defined({ name: v.name, namePrefix: v.namePrefix, namespace: v.namespace, selector: v.selector }),
  }),
  timeout: { configured: "assert" },
  exec: runAssertPodPhase,
});
