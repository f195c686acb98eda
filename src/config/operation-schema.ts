import * as z from "zod";
import {
  binding,
  compiler,
  deletionPropagation,
  envVar,
  expectation,
  format,
  output,
} from "./common-schema.ts";
import {
  duration,
  extensionOnly,
  issueParams,
  timeout,
  unsupported,
  withUnknownKeyHint,
} from "../source/schema-kit.ts";

export { binding, compiler, deletionPropagation } from "./common-schema.ts";

/**
 * Chainsaw `v1alpha1` operations (https://kyverno.github.io/chainsaw/latest/reference/apis/chainsaw.v1alpha1/).
 * Field names and nesting follow Chainsaw exactly so that its test files validate unchanged.
 */

export type Dialect = "chainsaw" | "kubeproof";

const MULTI_CLUSTER = "multi-cluster tests (cluster/clusters) are not supported by kubeproof yet";

/** Chainsaw's per-action cluster selection; refused with a clear reason rather than ignored. */
const clusterFields = {
  cluster: unsupported(MULTI_CLUSTER, "remove it to run against the single configured cluster"),
  clusters: unsupported(MULTI_CLUSTER, "remove it to run against the single configured cluster"),
};

const common = {
  timeout: timeout("Timeout for this operation; overrides step, test and configuration timeouts.").optional(),
};
const withBindings = { bindings: z.array(binding).optional() };
const withOutputs = { outputs: z.array(output).optional() };
const templateFlag = {
  template: z.boolean().optional().describe("Whether resources are templated (default true)."),
};

const resourceRef = {
  file: z
    .string()
    .min(1)
    .optional()
    .describe("Path (relative to the test file) or glob of YAML files holding the resources."),
  resource: z.record(z.string(), z.unknown()).optional().describe("An inline resource."),
  ...templateFlag,
};

function exactlyOneOf(keys: readonly string[], action: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length === 1) return;
    ctx.addIssue({
      code: "custom",
      message:
        present.length === 0
          ? `${action} needs ${keys.join(" or ")}`
          : `${action} takes only one of ${keys.join(", ")}, found ${present.join(" and ")}`,
      params: issueParams(present.length === 0 ? { expected: `exactly one of ${keys.join(", ")}` } : {}),
    });
  };
}

function atMostOne(keys: readonly string[], action: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = keys.filter((k) => value[k] !== undefined);
    if (present.length <= 1) return;
    ctx.addIssue({
      code: "custom",
      message: `${action} takes a ${keys.join(" or a ")}, not both`,
      params: issueParams({ hint: `remove ${present[present.length - 1] ?? ""}` }),
    });
  };
}

const objectType = {
  apiVersion: z.string().min(1).describe("API version of the objects, e.g. v1 or apps/v1."),
  kind: z.string().min(1).describe("Kind of the objects, e.g. Pod."),
  /** Chainsaw's deprecated kubectl-style `resource: pods` cannot be mapped to a kind without discovery. */
  resource: unsupported(
    "the deprecated `resource` selector is not supported",
    "use apiVersion and kind instead",
  ),
};
const objectName = {
  namespace: z.string().optional().describe("Namespace (defaults to the test namespace; '*' for all)."),
  name: z.string().optional().describe("Object name."),
};
const selector = { selector: z.string().optional().describe("Label selector, e.g. app=web,tier!=db.") };

function resourceAction<E extends z.ZodRawShape>(name: string, extra: E) {
  return z
    .strictObject({ ...resourceRef, ...common, ...withBindings, ...clusterFields, ...extra })
    .superRefine(exactlyOneOf(["file", "resource"], name));
}

const applyLike = (name: string) =>
  resourceAction(name, {
    ...withOutputs,
    dryRun: z.boolean().optional().describe("Send the request in dry-run mode."),
    expect: z.array(expectation).optional(),
    modifiers: unsupported(
      "modifiers are not supported by kubeproof yet",
      "template the resource with ( ) expressions and bindings instead",
    ),
  });

function assertLike(name: string, dialect: Dialect) {
  const extensions =
    dialect === "kubeproof"
      ? {
          listMatch: z
            .enum(["exact", "contains"])
            .optional()
            .describe("How lists match: exact (Chainsaw's order-sensitive default) or contains (any order)."),
          mode: z
            .enum(["eventually", "consistently", "never"])
            .optional()
            .describe("eventually (default): holds once; consistently: holds for the whole timeout; never."),
        }
      : { listMatch: extensionOnly("listMatch"), mode: extensionOnly("mode") };
  return resourceAction(name, extensions);
}

const deleteAction = z
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

const script = z.strictObject({
  ...processFields,
  content: z.string().min(1).describe("The script, run with $shell $shellArgs <content>."),
  shell: z.string().optional().describe("Shell to run the script with (default sh)."),
  shellArgs: z.array(z.string()).optional().describe("Arguments before the content (default -c)."),
});

const command = z.strictObject({
  ...processFields,
  entrypoint: z.string().min(1).describe("The program to run."),
  args: z.array(z.string()).optional(),
});

const describeAction = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...objectType,
    ...objectName,
    ...selector,
    showEvents: z.boolean().optional().describe("Include related events."),
  })
  .superRefine(atMostOne(["name", "selector"], "describe"));

const getAction = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...objectType,
    ...objectName,
    ...selector,
    format: format.optional(),
  })
  .superRefine(atMostOne(["name", "selector"], "get"));

const events = z
  .strictObject({ ...common, ...clusterFields, ...objectName, ...selector, format: format.optional() })
  .superRefine(atMostOne(["name", "selector"], "events"));

const podLogs = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...objectName,
    ...selector,
    container: z.string().optional().describe("Container name (default: all containers)."),
    tail: z
      .number()
      .int()
      .optional()
      .describe("Last lines to collect (default 10 with a selector, all by name)."),
  })
  .superRefine(atMostOne(["name", "selector"], "podLogs"));

const waitFor = z
  .strictObject({
    deletion: z.strictObject({}).optional().describe("Wait until the objects are deleted."),
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
  .superRefine(exactlyOneOf(["condition", "deletion", "jsonPath"], "wait.for"));

const wait = z
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

const sleep = z.strictObject({ duration: duration("How long to sleep, e.g. 10s.") });

/** Operations allowed in `try`, in Chainsaw's reference order. */
export const TRY_ACTIONS = [
  "apply",
  "assert",
  "command",
  "create",
  "delete",
  "describe",
  "error",
  "events",
  "get",
  "patch",
  "podLogs",
  "script",
  "sleep",
  "update",
  "wait",
] as const;

/** Chainsaw allows only collectors and clean-up style operations in catch/finally/cleanup. */
export const CATCH_ACTIONS = [
  "command",
  "delete",
  "describe",
  "events",
  "get",
  "podLogs",
  "script",
  "sleep",
  "wait",
] as const;

const base = {
  description: z.string().optional().describe("What this operation does (shown in reports)."),
  compiler: compiler.optional(),
};

/** Collectors and clean-up operations: the same for both dialects, so one shared instance. */
const catchActions = {
  command: command.optional(),
  delete: deleteAction.optional(),
  describe: describeAction.optional(),
  events: events.optional(),
  get: getAction.optional(),
  podLogs: podLogs.optional(),
  script: script.optional(),
  sleep: sleep.optional(),
  wait: wait.optional(),
};

/** An entry of `catch`, `finally` or `cleanup` (at step, test or configuration level). */
export const catchOperation = withUnknownKeyHint(
  z.strictObject({ ...catchActions, ...base }).superRefine(exactlyOneAction(CATCH_ACTIONS)),
  (key, path) => {
    const block = path[path.length - 2];
    const tryOnly =
      (TRY_ACTIONS as readonly string[]).includes(key) && !(CATCH_ACTIONS as readonly string[]).includes(key);
    return tryOnly && typeof block === "string"
      ? `${block} runs only collectors and clean-up operations; move ${key} to try`
      : undefined;
  },
);

export function operationSchemas(dialect: Dialect) {
  const operation = z
    .strictObject({
      apply: applyLike("apply").optional(),
      assert: assertLike("assert", dialect).optional(),
      command: catchActions.command,
      create: applyLike("create").optional(),
      delete: catchActions.delete,
      describe: catchActions.describe,
      error: assertLike("error", dialect).optional(),
      events: catchActions.events,
      get: catchActions.get,
      patch: resourceAction("patch", {
        ...withOutputs,
        dryRun: z.boolean().optional(),
        expect: z.array(expectation).optional(),
        subresource: z
          .string()
          .min(1)
          .optional()
          .describe("Patch this subresource of the object (e.g. status) instead of the object itself."),
      }).optional(),
      podLogs: catchActions.podLogs,
      script: catchActions.script,
      sleep: catchActions.sleep,
      update: applyLike("update").optional(),
      wait: catchActions.wait,
      ...base,
      continueOnError: z.boolean().optional().describe("Keep going after a failure (the test still fails)."),
      proxy: unsupported("the proxy operation is not supported by kubeproof yet"),
      lookup: unsupported(
        "the lookup operation is not supported by kubeproof yet",
        "read objects in an expression with x_k8s_get / x_k8s_list instead",
      ),
    })
    .superRefine(exactlyOneAction(TRY_ACTIONS));
  return { operation, catchOperation };
}

/** Actions refused with their own message: an operation holding one needs no second error. */
const UNSUPPORTED_ACTIONS = ["proxy", "lookup"];

function exactlyOneAction(allowed: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = allowed.filter((k) => value[k] !== undefined);
    if (present.length === 1) return;
    if (present.length === 0 && UNSUPPORTED_ACTIONS.some((k) => value[k] !== undefined)) return;
    ctx.addIssue({
      code: "custom",
      message:
        present.length === 0
          ? "an operation needs an action"
          : `an operation has exactly one action, found ${present.join(" and ")}`,
      params: issueParams(
        present.length === 0
          ? { expected: `one of ${allowed.join(", ")}` }
          : { hint: "split them into separate list items (- apply: … / - assert: …)" },
      ),
    });
  };
}

export type OperationSchemas = ReturnType<typeof operationSchemas>;
export type ParsedOperation = z.output<OperationSchemas["operation"]>;
export type ParsedCatchOperation = z.output<OperationSchemas["catchOperation"]>;
export type ParsedBinding = z.output<typeof binding>;
