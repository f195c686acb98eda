import * as z from "zod";
import type { SourceDocument } from "../model/index.ts";
import { errorAt, type LoadError } from "../source/diagnostics.ts";
import { ignoredField, issueParams, unsupported, withExpected } from "../source/schema-kit.ts";
import { commandLineProblem } from "./kuttl-command.ts";
import { celCheckProblem, celProblem } from "./kuttl-ops.ts";
import { labelSelector } from "./kuttl-labels.ts";

/**
 * kuttl's own objects (kuttl.dev/v1beta1: TestSuite, TestStep, TestAssert, TestFile, TestCase), field for field
 * from kuttl's pkg/apis/testharness/v1beta1/test_types.go. kuttl silently drops unknown fields; here a
 * misspelt field is an error with its position, and a field kubeproof cannot honour says so.
 */

/** kuttl recognises its objects by API group alone, whatever the version. */
export const KUTTL_GROUP = "kuttl.dev";

const seconds = (description: string, min?: number) =>
  withExpected(
    (min === undefined ? z.number().int() : z.number().int().min(min)).describe(description),
    min === undefined ? "a whole number of seconds" : `a whole number of seconds, at least ${min}`,
  );

/** Only `name` is read (a TestStep's name overrides the step's); the rest of ObjectMeta is accepted. */
const metadata = z.looseObject({ name: z.string().optional() });

const header = {
  apiVersion: z.string(),
  metadata: metadata.optional(),
};

/** A field accepted only while it asks for nothing (false, empty): kubeproof cannot do what it asks. */
function refusedWhenSet<T extends z.ZodType>(
  schema: T,
  isSet: (value: z.output<T>) => boolean,
  message: string,
  hint: string,
) {
  return schema
    .superRefine((value, ctx) => {
      if (isSet(value)) ctx.addIssue({ code: "custom", message, params: issueParams({ hint }) });
    })
    .optional();
}

/**
 * Fields public suites write that are not in kuttl's types: kuttl's decoder drops them, so they do
 * nothing there. Accepted here too, with a warning that says so (see `ignoredFieldWarnings`).
 */
const IGNORED_FIELDS: Record<string, Record<string, string>> = {
  TestStep: {
    timeout: "set timeout on each of the step's commands, or in its TestAssert for the asserts",
  },
  TestSuite: { ignoreFiles: "remove it, or move the files kuttl should not read out of the test case" },
};

function ignoredByKuttl(kind: string) {
  return ignoredField(`Not a field of kuttl's ${kind}: kuttl ignores it, and so does kubeproof.`);
}

/** A warning for each field of `doc` that kuttl ignores (see IGNORED_FIELDS). */
export function ignoredFieldWarnings(doc: SourceDocument, kind: string): LoadError[] {
  const value = doc.value as Record<string, unknown> | null;
  const fields = IGNORED_FIELDS[kind] ?? {};
  return Object.entries(fields)
    .filter(([field]) => value !== null && typeof value === "object" && value[field] !== undefined)
    .map(([field, hint]) =>
      errorAt(doc, [field], {
        message: `not a field of kuttl's ${kind}: kuttl ignores it, and so does kubeproof`,
        hint,
      }),
    );
}

const nonEmpty = (value: unknown): boolean =>
  Array.isArray(value) ? value.length > 0 : typeof value === "string" ? value !== "" : value === true;

/** A command of a TestStep or TestSuite (`Command`). */
export const command = z
  .strictObject({
    command: z.string().optional().describe("Command line, split like a shell does (no pipes)."),
    namespaced: z.boolean().optional().describe("Append --namespace <test namespace> unless given."),
    script: z.string().optional().describe("Shell script, run with sh -c."),
    ignoreFailure: z.boolean().optional(),
    background: z
      .boolean()
      .optional()
      .describe(
        "Suite commands: keep it running until the last test ends. kuttl runs step commands in the foreground anyway.",
      ),
    timeout: seconds("Seconds; 0 uses the suite timeout, negative means no timeout.").optional(),
    skipLogOutput: z.boolean().optional(),
  })
  .superRefine(commandRules);

/** A command of a TestAssert (`TestAssertCommand`): no ignoreFailure, background or timeout. */
export const assertCommand = z
  .strictObject({
    command: z.string().optional(),
    namespaced: z.boolean().optional(),
    script: z.string().optional(),
    skipLogOutput: z.boolean().optional(),
  })
  .superRefine(commandRules);

/** kuttl refuses these at run time (GetArgs); here they stop the load instead. */
function commandRules(
  cmd: { command?: string | undefined; script?: string | undefined; namespaced?: boolean | undefined },
  ctx: z.RefinementCtx,
): void {
  if (cmd.command !== undefined && cmd.script !== undefined) {
    ctx.addIssue({
      code: "custom",
      message: "command and script cannot both be set",
      params: issueParams({ hint: "split them into two commands" }),
    });
  } else if (cmd.command === undefined && cmd.script === undefined) {
    ctx.addIssue({
      code: "custom",
      message: "a command needs command or script",
      params: issueParams({ expected: "command: <command line> or script: <shell script>" }),
    });
  }
  const problem = cmd.command === undefined ? undefined : commandLineProblem(cmd.command);
  if (problem !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["command"],
      message: problem,
      params: issueParams({ expected: "a command line as a shell would split it" }),
    });
  }
  if (cmd.script !== undefined && cmd.namespaced === true) {
    ctx.addIssue({
      code: "custom",
      path: ["namespaced"],
      message: "namespaced cannot be used with script",
      params: issueParams({ hint: "use $NAMESPACE in the script instead" }),
    });
  }
}

/** `delete` entries: a Kubernetes ObjectReference plus labels. */
const objectReference = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  name: z.string().optional(),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).nullish(),
  // Part of corev1.ObjectReference; kuttl ignores them when deleting, so does kubeproof.
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});

const kubeconfigMessage =
  "a per-step kubeconfig is not supported: kubeproof runs every step against the run's cluster";
const kubeconfigHint =
  "remove it, or run the steps that need another cluster as a separate test run (--kubeconfig)";

export const testStep = z.strictObject({
  ...header,
  kind: z.literal("TestStep"),
  index: z.number().int().optional().describe("Ignored, as kuttl does: the file name's prefix is the index."),
  apply: z.array(z.string()).optional(),
  assert: z.array(z.string()).optional(),
  error: z.array(z.string()).optional(),
  delete: z.array(objectReference).optional(),
  unitTest: z.boolean().optional(),
  commands: z.array(command).nullish(),
  kubeconfig: unsupported(kubeconfigMessage, kubeconfigHint),
  kubeconfigLoading: unsupported(kubeconfigMessage, kubeconfigHint),
  context: unsupported(kubeconfigMessage, kubeconfigHint),
  timeout: ignoredByKuttl("TestStep"),
});

export const collector = z
  .strictObject({
    type: z.enum(["pod", "command", "events"]).optional(),
    pod: z.string().optional(),
    namespace: z.string().optional(),
    container: z.string().optional(),
    selector: z.string().optional(),
    tail: z.number().int().optional(),
    command: z.string().optional(),
  })
  .superRefine((c, ctx) => {
    const type = c.type ?? (c.command !== undefined ? "command" : "pod");
    if (type === "pod" && c.pod === undefined && c.selector === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "a pod collector needs pod or selector",
        params: issueParams({ expected: "pod: <name> or selector: <label selector>" }),
      });
    }
    if (type === "command" && c.command === undefined) {
      ctx.addIssue({ code: "custom", message: "a command collector needs command" });
    }
    const problem = c.command === undefined ? undefined : commandLineProblem(c.command);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["command"], message: problem });
  });

/** kuttl's TestResourceRef: every field is required (kuttl's Validate). */
const resourceRef = z.strictObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  namespace: z.string().min(1),
  name: z.string().min(1),
  ref: withExpected(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: (iss) => `invalid ref ${JSON.stringify(iss.input)}` }),
    "a CEL identifier (letters, digits, _) naming the object in the expressions",
  ),
});

/** kuttl compiles the expressions when it loads the step: a syntax error stops the load here too. */
const assertion = z.strictObject({
  celExpr: z
    .string()
    .min(1)
    .superRefine((expression, ctx) => {
      const problem = celProblem(expression);
      if (problem === undefined) return;
      ctx.addIssue({
        code: "custom",
        message: `invalid CEL: ${problem}`,
        params: issueParams({ expected: "a CEL expression" }),
      });
    })
    .describe("A CEL expression over the resourceRefs that must be true."),
});

export const testAssert = z
  .strictObject({
    ...header,
    kind: z.literal("TestAssert"),
    timeout: seconds(
      "Seconds the step's asserts and errors may take (default: the suite timeout).",
      0,
    ).optional(),
    collectors: z.array(collector).nullish(),
    commands: z.array(assertCommand).nullish(),
    resourceRefs: z
      .array(resourceRef)
      .nullish()
      .describe("Objects fetched by name, each a variable of the CEL expressions."),
    assertAny: z.array(assertion).nullish().describe("At least one must be true."),
    assertAll: z.array(assertion).nullish().describe("Each must be true."),
  })
  .superRefine(declaredReferences);

interface ExpressionFields {
  resourceRefs?: readonly { ref: string }[] | null | undefined;
  assertAny?: readonly { celExpr: string }[] | null | undefined;
  assertAll?: readonly { celExpr: string }[] | null | undefined;
}

/**
 * kuttl compiles each expression with the resourceRefs' `ref`s as its only variables (LoadPrograms),
 * so a name no ref declares, or an operation the checker refuses, stops the load there too.
 */
function declaredReferences(spec: ExpressionFields, ctx: z.RefinementCtx): void {
  const refs = (spec.resourceRefs ?? []).map((r) => r.ref);
  for (const key of ["assertAll", "assertAny"] as const) {
    (spec[key] ?? []).forEach((a, i) => {
      if (celProblem(a.celExpr) !== undefined) return;
      const problem = celCheckProblem(a.celExpr, refs);
      if (problem === undefined) return;
      ctx.addIssue({
        code: "custom",
        path: [key, i, "celExpr"],
        message: `invalid CEL: ${problem}`,
        params: issueParams({
          expected:
            refs.length === 0
              ? "an expression over the resourceRefs (this TestAssert declares none)"
              : `an expression over the resourceRefs: ${refs.join(", ")}`,
        }),
      });
    });
  }
}

const testRunSelector = labelSelector
  .nullish()
  .describe("The run labels (--test-run-labels) this applies to; empty or absent: every run.");

export const testFile = z.strictObject({
  ...header,
  kind: z.literal("TestFile"),
  testRunSelector,
});

/** `test-case.yaml` (newer kuttl): settings of the whole test case. */
export const testCase = z.strictObject({
  ...header,
  kind: z.literal("TestCase"),
  testRunSelector,
});

export const testSuite = z.strictObject({
  ...header,
  kind: z.literal("TestSuite"),
  testDirs: z.array(z.string()).nullish().describe("Directories whose subdirectories are test cases."),
  timeout: seconds("Default timeout of every step, in seconds (0: kuttl's 30).", 0).optional(),
  parallel: z.number().int().min(0).optional().describe("1 runs the tests one at a time."),
  skipDelete: z.boolean().optional(),
  namespace: z.string().optional().describe("One namespace for every test instead of one each."),
  crdDir: z
    .string()
    .optional()
    .describe("CRDs installed before the first test, waited for until Established (relative to this file)."),
  manifestDirs: z
    .array(z.string())
    .nullish()
    .describe("Directories of objects applied before the first test, after the CRDs, in order."),
  commands: z
    .array(command)
    .nullish()
    .describe("Run once before the first test, after the manifests; background ones run until the end."),
  startKIND: refusedWhenSet(
    z.boolean(),
    nonEmpty,
    "starting a kind cluster (startKIND) is not supported",
    "kubeproof brings its own local cluster; select another one with --kubeconfig / --context",
  ),
  // Accepted and ignored: kubeproof chooses and manages the cluster, its reports and its logs.
  kindConfig: z.string().optional(),
  kindContext: z.string().optional(),
  kindNodeCache: z.boolean().optional(),
  kindContainers: z.array(z.string()).nullish(),
  startControlPlane: z.boolean().optional(),
  attachControlPlaneOutput: z.boolean().optional(),
  controlPlaneArgs: z.array(z.string()).nullish(),
  skipClusterDelete: z.boolean().optional(),
  artifactsDir: z.string().optional(),
  reportFormat: z.string().optional(),
  reportName: z.string().optional(),
  reportGranularity: z.string().optional(),
  suppress: z.array(z.string()).nullish(),
  ignoreFiles: ignoredByKuttl("TestSuite"),
});

export type ParsedCommand = z.output<typeof command>;
export type ParsedAssertCommand = z.output<typeof assertCommand>;
export type ParsedTestStep = z.output<typeof testStep>;
export type ParsedTestAssert = z.output<typeof testAssert>;
export type ParsedCollector = z.output<typeof collector>;
export type ParsedTestFile = z.output<typeof testFile>;
export type ParsedTestCase = z.output<typeof testCase>;
export type ParsedTestSuite = z.output<typeof testSuite>;
