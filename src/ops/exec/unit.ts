import * as z from "zod";
import { defined } from "../convert-parts.ts";
import { podRefIssue } from "../incluster/schema.ts";
import { common, withBindings, withOutputs } from "../schema-parts.ts";
import { defineUnit } from "../unit.ts";
import { runExec } from "./exec.ts";

/** exec: a command in a pod's container, judged as a script is (`check` over $stdout, $stderr, $error). */

const schema = z
  .strictObject({
    ...common,
    ...withBindings,
    ...withOutputs,
    pod: z
      .strictObject({
        name: z.string().optional(),
        selector: z.string().optional().describe("Label selector: the first Ready pod (by name) is used."),
        namespace: z.string().optional(),
      })
      .describe("The pod, by name or selector (namespace: the test's)."),
    container: z.string().optional().describe("Container (default: the pod's first)."),
    command: z.array(z.string()).min(1).describe("Program and arguments; no shell unless you run one."),
    check: z.unknown().optional().describe("Assertion tree over $stdout, $stderr, $error and $exitCode."),
    skipLogOutput: z.boolean().optional().describe("Do not record the output (sensitive or noisy)."),
  })
  .superRefine((v, ctx) => podRefIssue(v.pod, ctx, ["pod"]));

export const execUnit = defineUnit({
  type: "exec",
  dialects: ["kubeproof"],
  inCatch: true,
  schema: () => schema,
  convert: (v, cc) => ({
    ...cc.base(v),
    type: "exec",
    pod: defined({ name: v.pod.name, selector: v.pod.selector, namespace: v.pod.namespace }),
    command: v.command,
    skipLogOutput: v.skipLogOutput ?? false,
    ...defined({ container: v.container, check: v.check }),
  }),
  timeout: { configured: "exec" },
  exec: runExec,
});
