import * as z from "zod";
import type { ProcessOperationBase } from "../../model/index.ts";
import { defined, envVars } from "../convert-parts.ts";
import { clusterFields, common, envVar, withBindings, withOutputs } from "../schema-parts.ts";
import { defineUnit, type ConversionContext } from "../unit.ts";
import { runProcess } from "./exec.ts";

/** script (a shell runs the content) and command (a program with arguments, no shell). */

const processFields = {
  ...common,
  ...withBindings,
  ...withOutputs,
  ...clusterFields,
  env: z.array(envVar).optional().describe("Extra environment variables."),
  skipLogOutput: z.boolean().optional().describe("Do not print the output (sensitive or noisy)."),
  skipCommandOutput: z.boolean().optional().describe("Do not print the command line itself."),
  check: z.unknown().optional().describe("Assertion tree over $error, $stdout and $stderr."),
  workDir: z.string().optional().describe("Working directory (default: the test's directory)."),
};

const scriptSchema = z.strictObject({
  ...processFields,
  content: z.string().min(1).describe("The script, run with $shell $shellArgs <content>."),
  shell: z.string().optional().describe("Shell to run the script with (default sh)."),
  shellArgs: z.array(z.string()).optional().describe("Arguments before the content (default -c)."),
});

const commandSchema = z.strictObject({
  ...processFields,
  entrypoint: z.string().min(1).describe("The program to run."),
  args: z.array(z.string()).optional(),
});

type ProcessBody = z.output<typeof scriptSchema> | z.output<typeof commandSchema>;

function processFieldsOf(v: ProcessBody, cc: ConversionContext): ProcessOperationBase {
  return {
    ...cc.base(v),
    env: envVars(v.env),
    skipLogOutput: v.skipLogOutput ?? false,
    ...defined({ workDir: v.workDir, check: v.check, skipCommandOutput: v.skipCommandOutput }),
  };
}

export const scriptUnit = defineUnit({
  type: "script",
  inCatch: true,
  schema: () => scriptSchema,
  convert: (v, cc) => ({
    ...processFieldsOf(v, cc),
    type: "script",
    content: v.content,
    ...defined({ shell: v.shell, shellArgs: v.shellArgs }),
  }),
  timeout: { configured: "exec" },
  exec: runProcess,
});

export const commandUnit = defineUnit({
  type: "command",
  inCatch: true,
  schema: () => commandSchema,
  convert: (v, cc) => ({
    ...processFieldsOf(v, cc),
    type: "command",
    entrypoint: v.entrypoint,
    args: v.args ?? [],
  }),
  timeout: { configured: "exec" },
  exec: runProcess,
});
