import * as z from "zod";
import { issueParams, timeout, unsupported, withExpected } from "../source/schema-kit.ts";

/** Small Chainsaw types shared by operations, tests and configurations. */

/** Chainsaw lets expressions be JMESPath (`jp`, the default) or CEL (`cel`). */
export const compiler = z
  .enum(["jp", "cel"])
  .describe("Language of expressions that name none: jp (JMESPath, the default) or cel.");

const BINDING_NAME = /^(?:\w+|\(.+\))$/;
/**
 * Names the runner binds itself. `namespace` is not among them: Chainsaw registers user bindings
 * without checking it, so a binding named `namespace` hides `$namespace` for what comes after it.
 */
const RESERVED_BINDINGS = ["client", "config", "error", "values", "stdout", "stderr"];

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
  name: withExpected(
    z.string().regex(/^(?:\w+|\(.+\))$/),
    "an environment variable name (letters, digits, _), or a (jmespath) expression giving one",
  ),
  value: withExpected(
    z.union([z.string(), z.number(), z.boolean()]),
    "a string, number or boolean (strings may be (expressions))",
  ),
});

export const format = z.enum(["json", "yaml"]).describe("Output format: json or yaml.");

export const deletionPropagation = z
  .enum(["Orphan", "Background", "Foreground"])
  .describe("How dependents are deleted: Background (default), Foreground or Orphan.");

/** The building blocks of action bodies (`apply: {...}`), shared by the units' schemas. */

/**
 * Chainsaw's `modifiers` (of apply, create and update) and `namespaceModifiers` (of a test), from its
 * February 2024 development (pull requests #847-#853; the namespace ones gave way to namespaceTemplate
 * in #855): each entry adds labels, adds annotations, or merges a partial object, in order.
 */
export const modifiers = z
  .array(
    z
      .strictObject({
        label: z.record(z.string(), z.string()).optional().describe("Labels to add (or overwrite)."),
        annotate: z.record(z.string(), z.string()).optional().describe("Annotations to add (or overwrite)."),
        merge: z
          .record(z.string(), z.unknown())
          .optional()
          .describe("A partial object merged in (maps recursively, anything else replaced)."),
      })
      .superRefine(exactlyOneOf(["label", "annotate", "merge"], "a modifier")),
  )
  .describe("Changes made to the object before it is written, in order.");

/** Chainsaw's `clusters` entry: a kubeconfig file and, optionally, one of its contexts. */
export const clusterDefinition = z
  .strictObject({
    kubeconfig: z
      .string()
      .min(1)
      .describe(
        "Path of the kubeconfig file (relative to the test file; to the working directory in a configuration).",
      ),
    context: z.string().min(1).optional().describe("Context to use (default: the file's current context)."),
  })
  .describe("A cluster other operations can select with cluster: <name>.");

/** Chainsaw's multi-cluster fields, the same on tests, steps and every action. */
export const clusterFields = {
  cluster: z
    .string()
    .optional()
    .describe(
      "Run against this cluster: a name from clusters (here, the step, the test or the configuration), or a (jmespath) expression giving one; empty means the run's cluster.",
    ),
  clusters: z
    .record(z.string().min(1), clusterDefinition)
    .optional()
    .describe("Clusters by name, for cluster: to select."),
};

export const common = {
  timeout: timeout("Timeout for this operation; overrides step, test and configuration timeouts.").optional(),
};
export const withBindings = { bindings: z.array(binding).optional() };
export const withOutputs = { outputs: z.array(output).optional() };
export const templateFlag = {
  template: z.boolean().optional().describe("Whether resources are templated (default true)."),
};

export const resourceRef = {
  file: z
    .string()
    .min(1)
    .optional()
    .describe("Path (relative to the test file) or glob of YAML files holding the resources."),
  resource: z.record(z.string(), z.unknown()).optional().describe("An inline resource."),
  ...templateFlag,
};

export function exactlyOneOf(keys: readonly string[], action: string) {
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

export function atMostOne(keys: readonly string[], action: string) {
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

export const objectType = {
  apiVersion: z.string().min(1).describe("API version of the objects, e.g. v1 or apps/v1."),
  kind: z.string().min(1).describe("Kind of the objects, e.g. Pod."),
  /** Chainsaw's deprecated kubectl-style `resource: pods` cannot be mapped to a kind without discovery. */
  resource: unsupported(
    "the deprecated `resource` selector is not supported",
    "use apiVersion and kind instead",
  ),
};
export const objectName = {
  namespace: z.string().optional().describe("Namespace (defaults to the test namespace; '*' for all)."),
  name: z.string().optional().describe("Object name."),
};
export const selector = {
  selector: z.string().optional().describe("Label selector, e.g. app=web,tier!=db."),
};

/** An action on resources given by `file:` or `resource:` (apply, assert, …). */
export function resourceAction<E extends z.ZodRawShape>(name: string, extra: E) {
  return z
    .strictObject({ ...resourceRef, ...common, ...withBindings, ...clusterFields, ...extra })
    .superRefine(exactlyOneOf(["file", "resource"], name));
}
