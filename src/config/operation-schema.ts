import * as z from "zod";
import { OPERATION_TYPES, OPERATIONS } from "../ops/registry.ts";
import { compiler } from "../ops/schema-parts.ts";
import type { Dialect } from "../ops/unit.ts";
import { issueParams, unsupported, withUnknownKeyHint } from "../source/schema-kit.ts";
import type { binding } from "../ops/schema-parts.ts";
import type { OperationType } from "../model/index.ts";

export { binding, compiler, deletionPropagation } from "../ops/schema-parts.ts";
export type { Dialect } from "../ops/unit.ts";

/**
 * Chainsaw `v1alpha1` operations (https://kyverno.github.io/chainsaw/latest/reference/apis/chainsaw.v1alpha1/),
 * assembled from the operation units (src/ops/registry.ts): each unit brings the schema of its body,
 * written under its own key. Field names and nesting follow Chainsaw so that its files validate unchanged.
 */

/** The actions a dialect accepts in `try`, in registry order. */
export function tryActions(dialect: Dialect): OperationType[] {
  return OPERATION_TYPES.filter((type) => OPERATIONS[type].document.dialects.includes(dialect));
}

type Units = typeof OPERATIONS;
/** The operation types whose unit allows them in catch, finally and cleanup. */
export type CatchType = {
  [K in OperationType]: Units[K]["document"]["inCatch"] extends true ? K : never;
}[OperationType];
/** Each action as an optional key holding its unit's body schema, typed by the unit. */
type ActionShape<Types extends OperationType> = {
  [K in Types]: z.ZodOptional<ReturnType<Units[K]["document"]["schema"]>>;
};

function isCatchType(type: OperationType): type is CatchType {
  return OPERATIONS[type].document.inCatch;
}

/** The actions a dialect accepts in catch, finally and cleanup (collectors and clean-up operations). */
export function catchActions(dialect: Dialect): CatchType[] {
  return tryActions(dialect).filter(isCatchType);
}

/** Operations allowed in `try` in Chainsaw's dialect. */
export const TRY_ACTIONS: readonly OperationType[] = tryActions("chainsaw");
/** Chainsaw allows only collectors and clean-up style operations in catch/finally/cleanup. */
export const CATCH_ACTIONS: readonly OperationType[] = catchActions("chainsaw");

const base = {
  description: z.string().optional().describe("What this operation does (shown in reports)."),
  compiler: compiler.optional(),
};

function actionShape<Types extends OperationType>(
  types: readonly Types[],
  dialect: Dialect,
): ActionShape<Types> {
  const shape: Partial<Record<OperationType, z.ZodType>> = {};
  for (const type of types) shape[type] = OPERATIONS[type].document.schema(dialect).optional();
  // Built key by key from the same units the type is computed from.
  return shape as ActionShape<Types>;
}

/** kubeproof's `when` on catch, finally and cleanup entries: run by the outcome of the test so far. */
const runCondition = z
  .enum(["always", "never", "onSuccess", "onFailure"])
  .describe(
    "kubeproof: run only when the test so far passed (onSuccess), failed (onFailure), always (default) or never.",
  );

function catchSchema(dialect: Dialect) {
  const allowed = catchActions(dialect);
  const schema = z
    .strictObject({ ...actionShape(allowed, dialect), ...base, when: runCondition.optional() })
    .superRefine(exactlyOneAction(allowed));
  return withUnknownKeyHint(schema, (key, path) => {
    const block = path[path.length - 2];
    const tryOnly = (tryActions(dialect) as readonly string[]).includes(key);
    return tryOnly && typeof block === "string"
      ? `${block} runs only collectors and clean-up operations; move ${key} to try`
      : undefined;
  });
}

/**
 * One catch schema while both dialects accept the same catch bodies: the configuration's catch and
 * the tests' then share it, and the JSON Schema names it once.
 */
function sameBodies(types: readonly OperationType[]): boolean {
  return types.every(
    (t) => OPERATIONS[t].document.schema("chainsaw") === OPERATIONS[t].document.schema("kubeproof"),
  );
}
const sharedCatch =
  sameBodies(catchActions("kubeproof")) &&
  catchActions("chainsaw").length === catchActions("kubeproof").length
    ? catchSchema("kubeproof")
    : undefined;
const catchSchemas: Record<Dialect, ReturnType<typeof catchSchema>> = {
  chainsaw: sharedCatch ?? catchSchema("chainsaw"),
  kubeproof: sharedCatch ?? catchSchema("kubeproof"),
};

/** An entry of `catch`, `finally` or `cleanup` (at step, test or configuration level). */
export const catchOperation = catchSchemas.kubeproof;

export function operationSchemas(dialect: Dialect) {
  const allowed = tryActions(dialect);
  const refused = dialect === "kubeproof" ? {} : refusedExtensions();
  const operation = z
    .strictObject({
      ...actionShape(allowed, dialect),
      ...refused,
      ...base,
      continueOnError: z.boolean().optional().describe("Keep going after a failure (the test still fails)."),
      proxy: unsupported("the proxy operation is not supported by kubeproof yet"),
    })
    .superRefine(exactlyOneAction(allowed));
  return { operation, catchOperation: catchSchemas[dialect] };
}

/** kubeproof's own operations (extensions): refused by name under Chainsaw's apiVersion. */
const EXTENSIONS = OPERATION_TYPES.filter((type) => !OPERATIONS[type].document.dialects.includes("chainsaw"));

function refusedExtensions(): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const type of EXTENSIONS) {
    shape[type] = unsupported(
      `"${type}" is a kubeproof operation and is not part of Chainsaw's format`,
      "set apiVersion: kubeproof.dev/v1alpha1 to use kubeproof operations",
    );
  }
  return shape;
}

/** Actions refused with their own message: an operation holding one needs no second error. */
const REFUSED_ACTIONS: readonly string[] = ["proxy", ...EXTENSIONS];

function exactlyOneAction(allowed: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const present = allowed.filter((k) => value[k] !== undefined);
    if (present.length === 1) return;
    if (present.length === 0 && REFUSED_ACTIONS.some((k) => value[k] !== undefined)) return;
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

/** A validated operation: one action key holding its body (see the unit), plus the shared fields. */
export interface ParsedOperation {
  description?: string | undefined;
  continueOnError?: boolean | undefined;
  compiler?: "jp" | "cel" | undefined;
  when?: "always" | "never" | "onSuccess" | "onFailure" | undefined;
  [action: string]: unknown;
}
export type OperationSchemas = ReturnType<typeof operationSchemas>;
export type ParsedCatchOperation = ParsedOperation;
export type ParsedBinding = z.output<typeof binding>;
