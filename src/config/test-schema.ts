import * as z from "zod";
import {
  binding,
  compiler,
  deletionPropagation,
  operationSchemas,
  type Dialect,
  type OperationSchemas,
} from "./operation-schema.ts";
import { duration, extensionOnly, issueParams, timeout } from "../source/schema-kit.ts";
import { clusterFields, modifiers } from "../ops/schema-parts.ts";

export type { Dialect } from "./operation-schema.ts";

export const CHAINSAW_API_VERSION = "chainsaw.kyverno.io/v1alpha1";
export const KUBEPROOF_API_VERSION = "kubeproof.dev/v1alpha1";
export const TEST_API_VERSIONS = [CHAINSAW_API_VERSION, KUBEPROOF_API_VERSION] as const;

export function dialectOf(apiVersion: string): Dialect | undefined {
  if (apiVersion === CHAINSAW_API_VERSION) return "chainsaw";
  if (apiVersion === KUBEPROOF_API_VERSION) return "kubeproof";
  return undefined;
}

/** Timeouts per operation type; used by tests, steps and configurations. */
export const timeouts = z
  .strictObject({
    apply: timeout("apply, create, update and patch.").optional(),
    assert: timeout("assert.").optional(),
    cleanup: timeout("Deleting what the test created.").optional(),
    delete: timeout("delete.").optional(),
    error: timeout("error.").optional(),
    exec: timeout("script and command.").optional(),
  })
  .describe("Timeouts per operation type.");

const stringMap = z.record(z.string(), z.string());

/**
 * Kubernetes ObjectMeta, as Chainsaw decodes a Test's metadata: every field is accepted, only name,
 * labels and annotations are used. Written out field by field so that a misspelt key is still an
 * error; `chainsaw migrate kuttl` writes `creationTimestamp: null`.
 */
export const objectMeta = z
  .strictObject({
    name: z.string().optional().describe("Test name (default: the directory name)."),
    namespace: z.string().optional(),
    generateName: z.string().optional(),
    labels: stringMap.nullish(),
    annotations: stringMap.nullish(),
    creationTimestamp: z.string().nullish(),
    deletionTimestamp: z.string().nullish(),
    deletionGracePeriodSeconds: z.number().int().nullish(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    generation: z.number().int().optional(),
    selfLink: z.string().optional(),
    finalizers: z.array(z.string()).nullish(),
    ownerReferences: z.array(z.record(z.string(), z.unknown())).nullish(),
    managedFields: z.array(z.record(z.string(), z.unknown())).nullish(),
  })
  .describe("Standard Kubernetes object metadata (only name and labels are used).");

/** Chainsaw's `use`: a step whose operations come from a StepTemplate file. */
const use = z
  .strictObject({
    template: z.string().min(1).describe("The StepTemplate file, relative to the test file."),
    with: z
      .strictObject({
        bindings: z
          .array(binding)
          .optional()
          .describe("Arguments: override the template's own bindings of the same name."),
      })
      .optional(),
  })
  .describe("Run the operations of a StepTemplate (try, catch, finally, cleanup) as this step's.");

const STEP_BLOCKS = ["try", "catch", "finally", "cleanup"] as const;

/** A step either lists its operations (`try` required) or takes them from a template (`use`, no blocks). */
function stepBlocks(step: { use?: unknown; [block: string]: unknown }, ctx: z.RefinementCtx): void {
  if (step.use === undefined) {
    if (step.try === undefined) {
      ctx.addIssue({
        code: "custom",
        message: 'missing required field "try"',
        params: issueParams({ expected: "try: [operations], or use: {template: <StepTemplate file>}" }),
      });
    }
    return;
  }
  for (const block of STEP_BLOCKS) {
    if (step[block] === undefined) continue;
    ctx.addIssue({
      code: "custom",
      path: [block],
      message: `a step with use takes its ${block} from the template`,
      params: issueParams({ hint: `remove ${block} here, or write the step without use` }),
    });
  }
}

/** kubeproof's step-level table: the step runs once per row, each with the row's bindings. */
const stepTable = z
  .array(
    z.strictObject({
      name: z.string().optional().describe("Row name, shown in the step's name (default row-1, row-2, …)."),
      bindings: z.array(binding).optional().describe("The row's bindings, before the step's own."),
    }),
  )
  .min(1)
  .describe("Run the step once per row, each row with its own bindings and reported as a step of its own.");

function stepSchema(ops: OperationSchemas, dialect: Dialect) {
  return z
    .strictObject({
      name: z.string().optional().describe("Step name (default step-1, step-2, …)."),
      try: z
        .array(ops.operation)
        .optional()
        .describe(
          "Operations to run, in order; the first failure stops the step (required unless use is set).",
        ),
      catch: z.array(ops.catchOperation).optional().describe("Run when the step fails."),
      finally: z.array(ops.catchOperation).optional().describe("Always run at the end of the step."),
      cleanup: z
        .array(ops.catchOperation)
        .optional()
        .describe("Run when the test ends, in reverse step order."),
      description: z.string().optional(),
      bindings: z.array(binding).optional(),
      timeouts: timeouts.optional(),
      skipDelete: z.boolean().optional().describe("Keep what this step created."),
      template: z.boolean().optional(),
      deletionPropagationPolicy: deletionPropagation.optional(),
      compiler: compiler.optional(),
      ...clusterFields,
      use: use.optional(),
      table: dialect === "kubeproof" ? stepTable.optional() : extensionOnly("table"),
    })
    .superRefine(stepBlocks);
}

/** A document of `kind` under the dialect's apiVersion, with standard metadata. */
function kubeDocument<K extends string, S extends z.ZodType>(dialect: Dialect, kind: K, spec: S) {
  const apiVersion = dialect === "kubeproof" ? KUBEPROOF_API_VERSION : CHAINSAW_API_VERSION;
  return z.strictObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal(kind),
    metadata: objectMeta.nullish(),
    spec,
  });
}

/** A `kind: StepTemplate` document (what `use.template` names). */
export function stepTemplateDocumentSchema(dialect: Dialect) {
  const ops = operationSchemas(dialect);
  const spec = z.strictObject({
    bindings: z.array(binding).optional().describe("Defaults for the template's arguments."),
    try: z.array(ops.operation).min(1).describe("Operations to run, in order."),
    catch: z.array(ops.catchOperation).optional(),
    finally: z.array(ops.catchOperation).optional(),
    cleanup: z.array(ops.catchOperation).optional(),
  });
  return kubeDocument(dialect, "StepTemplate", spec).describe(
    "A reusable step: run from a test step with use: {template: <file>}.",
  );
}

function specSchema(ops: OperationSchemas, dialect: Dialect) {
  return z.strictObject({
    steps: z.array(stepSchema(ops, dialect)).describe("The steps, run in order."),
    description: z.string().optional(),
    bindings: z.array(binding).optional(),
    timeouts: timeouts.optional(),
    namespace: z.string().optional().describe("Run in this namespace instead of a fresh ephemeral one."),
    namespaceTemplate: z.record(z.string(), z.unknown()).optional().describe("Namespace object to create."),
    concurrent: z.boolean().optional().describe("Run alongside other tests (default true)."),
    skip: z.boolean().optional().describe("Skip this test."),
    skipDelete: z.boolean().optional().describe("Keep what the test created."),
    template: z.boolean().optional().describe("Template resources with bindings (default true)."),
    catch: z.array(ops.catchOperation).optional().describe("Run when any step fails."),
    failFast: z.boolean().optional(),
    delayBeforeCleanup: duration("Wait this long after the test before cleaning up.").optional(),
    deletionPropagationPolicy: deletionPropagation.optional(),
    forceTerminationGracePeriod: duration(
      "Force this termination grace period on pods and workloads.",
    ).optional(),
    compiler: compiler.optional(),
    namespaceTemplateCompiler: compiler.optional(),
    fastNamespaceDeletion: z
      .boolean()
      .optional()
      .describe(
        "Chainsaw: do not wait for the test namespace to be gone. kubeproof never waits for it (deletion runs in the background), so this changes nothing.",
      ),
    ...clusterFields,
    scenarios: z
      .array(z.strictObject({ bindings: z.array(binding).optional() }))
      .optional()
      .describe(
        "Run the test once per scenario, each with its own bindings (before the test's) and $test.scenarioId from 1.",
      ),
    namespaceModifiers: modifiers
      .optional()
      .describe("Changes made to the test namespace object (after namespaceTemplate), in order."),
  });
}

/** A whole `kind: Test` document for one dialect. */
export function testDocumentSchema(dialect: Dialect) {
  return kubeDocument(dialect, "Test", specSchema(operationSchemas(dialect), dialect)).describe(
    `A ${dialect === "kubeproof" ? "kubeproof" : "Chainsaw"} test.`,
  );
}

const schemas = {
  chainsaw: testDocumentSchema("chainsaw"),
  kubeproof: testDocumentSchema("kubeproof"),
};
const templateSchemas = {
  chainsaw: stepTemplateDocumentSchema("chainsaw"),
  kubeproof: stepTemplateDocumentSchema("kubeproof"),
};

/** The cached schema for a dialect (building them is not free). */
export function testSchemaFor(dialect: Dialect): TestDocumentSchema {
  return schemas[dialect];
}

export function stepTemplateSchemaFor(dialect: Dialect): StepTemplateDocumentSchema {
  return templateSchemas[dialect];
}

export type StepTemplateDocumentSchema = ReturnType<typeof stepTemplateDocumentSchema>;
export type ParsedStepTemplate = z.output<StepTemplateDocumentSchema>;

export type TestDocumentSchema = ReturnType<typeof testDocumentSchema>;
export type ParsedTestDocument = z.output<TestDocumentSchema>;
export type ParsedSpec = ParsedTestDocument["spec"];
export type ParsedStep = ParsedSpec["steps"][number];
export type ParsedTimeouts = z.output<typeof timeouts>;
