import * as z from "zod";
import { issueParams, withExpected } from "../source/schema-kit.ts";

/** Small Chainsaw types shared by operations, tests and configurations. */

/** Chainsaw lets expressions be JMESPath (`jp`, the default) or CEL; only JMESPath is implemented. */
export const compiler = z
  .enum(["jp", "cel"])
  .superRefine((value, ctx) => {
    if (value === "cel") {
      ctx.addIssue({
        code: "custom",
        message: "the CEL compiler is not supported by kubeproof yet",
        params: issueParams({ hint: "use compiler: jp (JMESPath), the default" }),
      });
    }
  })
  .describe("Expression language: jp (JMESPath, default). cel is not supported yet.");

const BINDING_NAME = /^(?:\w+|\(.+\))$/;
const RESERVED_BINDINGS = ["namespace", "client", "config", "error", "values", "stdout", "stderr"];

export const binding = z
  .strictObject({
    name: withExpected(
      z
        .string()
        .regex(BINDING_NAME, { error: (iss) => `invalid binding name ${JSON.stringify(iss.input)}` })
        .refine((name) => !RESERVED_BINDINGS.includes(name), {
          error: (iss) => `binding name ${JSON.stringify(iss.input)} is reserved`,
          params: issueParams({ expected: `a name other than ${RESERVED_BINDINGS.join(", ")}` }),
        }),
      "a word made of letters, digits and _ (used as $name), or a (jmespath) expression",
    ),
    value: z.unknown().describe("The value; strings like (expression) are evaluated with JMESPath."),
    compiler: compiler.optional(),
  })
  .describe("A binding, available to expressions as $name.");

export const output = z.strictObject({
  name: binding.shape.name,
  value: z
    .unknown()
    .describe("The value; usually an expression over the result, e.g. (json_parse($stdout))."),
  compiler: compiler.optional(),
  match: z.unknown().optional().describe("Bind only when this assertion tree matches the result."),
});

export const expectation = z.strictObject({
  match: z.unknown().optional().describe("Apply the check only when this assertion tree matches."),
  check: z.unknown().describe("Assertion tree over the operation outcome ($error, the resource…)."),
});

export const envVar = z.strictObject({
  name: withExpected(z.string().regex(/^\w+$/), "an environment variable name (letters, digits, _)"),
  value: withExpected(
    z.union([z.string(), z.number(), z.boolean()]),
    "a string, number or boolean (strings may be (expressions))",
  ),
});

export const format = z.enum(["json", "yaml"]).describe("Output format: json or yaml.");

export const deletionPropagation = z
  .enum(["Orphan", "Background", "Foreground"])
  .describe("How dependents are deleted: Background (default), Foreground or Orphan.");
