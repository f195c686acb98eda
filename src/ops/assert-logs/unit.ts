import * as z from "zod";
import { defined } from "../convert-parts.ts";
import { podSelection } from "../pods.ts";
import { atMostOne, clusterFields, common } from "../schema-parts.ts";
import { issueParams } from "../../source/schema-kit.ts";
import { defineUnit } from "../unit.ts";
import { runAssertLogs } from "./exec.ts";

/** assertLogs: a regex over a container's log, judged as the log streams in. */

export const LOG_OPERATORS = ["Exists", "CountAtLeast", "CountAtMost", "CountExactly", "Is"] as const;

const schema = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...podSelection,
    container: z
      .string()
      .min(1)
      .optional()
      .describe("Container whose log is read; needed when the pod has several."),
    regex: z.string().describe("JavaScript regular expression searched in the log (every match counts)."),
    flags: z
      .string()
      .regex(/^[imsu]*$/, { error: "flags are letters among i, m, s, u" })
      .optional()
      .describe("Regex flags among i, m, s, u (g is implied)."),
    operator: z
      .enum(LOG_OPERATORS)
      .default("Exists")
      .describe(
        "Exists (default): a match; CountAtLeast / CountAtMost / CountExactly: the number of matches against value (more than value fails at once); Is: a match (its group, with one) equals value.",
      ),
    value: z
      .union([z.string(), z.number().int()])
      .optional()
      .describe("Count, or the expected match for Is."),
    missing: z
      .enum(["wait", "fail"])
      .optional()
      .describe(
        "A pod that does not exist or whose container has not started: wait (default) or fail at once.",
      ),
  })
  .superRefine(atMostOne(["name", "namePrefix", "selector"], "assertLogs"))
  .superRefine((v, ctx) => {
    try {
      new RegExp(v.regex, v.flags);
    } catch (error) {
      ctx.addIssue({ code: "custom", path: ["regex"], message: (error as Error).message });
    }
    const counting = v.operator.startsWith("Count");
    if ((counting || v.operator === "Is") && v.value === undefined)
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `operator ${v.operator} needs a value`,
        params: issueParams({ expected: counting ? "a count, e.g. 2" : "the expected match" }),
      });
    if (counting && v.value !== undefined && !/^\d+$/.test(String(v.value).trim()))
      ctx.addIssue({
        code: "custom",
        path: ["value"],
        message: `operator ${v.operator} counts: value must be a whole number`,
      });
  });

export const assertLogsUnit = defineUnit({
  type: "assertLogs",
  dialects: ["kubeproof"],
  inCatch: false,
  schema: () => schema,
  convert: (v, cc) => ({
    ...cc.base(v),
    type: "assertLogs",
    regex: v.regex,
    operator: v.operator,
    ...defined({
      name: v.name,
      namePrefix: v.namePrefix,
      namespace: v.namespace,
      selector: v.selector,
      container: v.container,
      flags: v.flags,
      value: v.value,
      missing: v.missing,
    }),
  }),
  timeout: { configured: "assert" },
  exec: runAssertLogs,
});
