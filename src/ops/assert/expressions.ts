import { errorMessage } from "../../source/errors.ts";
import type { AssertExpressions, AssertOperation, FailureDetail, SourceLocation } from "../../model/index.ts";
import { evaluateCelWith } from "../../template/cel.ts";
import { formatDuration } from "../../source/duration.ts";
import { poll } from "../hold.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";

/**
 * kuttl's CEL assertions (pkg/test/utils/expressions.go, RunAssertExpressions): the resourceRefs are
 * fetched by name and bound to their `ref`; every `assertAll` expression must be true, and one
 * `assertAny` expression at least, when there are any. An expression that fails to evaluate counts as
 * false. Re-checked until they hold or the step's timeout, as kuttl re-checks its asserts.
 */

const pollMs = 250;

export async function runExpressions(
  operation: AssertOperation,
  expressions: AssertExpressions,
  context: OperationContext,
): Promise<OperationOutcome> {
  let failure: FailureDetail | undefined;
  let evaluations = 0;
  const held = await poll(context.signal, pollMs, async () => {
    evaluations += 1;
    failure = await check(expressions, context, operation.location);
    return failure === undefined;
  });
  if (held) return { status: "passed", evaluations };
  const detail = failure ?? { message: "not checked", location: operation.location };
  return {
    status: "failed",
    evaluations,
    error: { ...detail, message: `${detail.message} (waited ${formatDuration(context.timeoutMs)})` },
  };
}

/** Undefined when the expressions hold now, else why not. */
async function check(
  expressions: AssertExpressions,
  context: OperationContext,
  location: SourceLocation,
): Promise<FailureDetail | undefined> {
  const variables: Record<string, unknown> = {};
  for (const ref of expressions.refs) {
    const object = await context.resources.get(ref).catch(() => undefined);
    if (object === undefined) {
      return {
        message: `resourceRef ${ref.ref}: ${ref.kind} ${ref.namespace}/${ref.name} not found`,
        location,
      };
    }
    variables[ref.ref] = object;
  }
  const outcome = (e: { expression: string }): string | undefined => {
    try {
      const value = evaluateCelWith(e.expression, variables);
      return value === true ? undefined : `evaluated to ${JSON.stringify(value)}`;
    } catch (error) {
      return errorMessage(error);
    }
  };
  for (const e of expressions.all) {
    const why = outcome(e);
    if (why !== undefined)
      return {
        message: `assertAll expression ${JSON.stringify(e.expression)}: ${why}`,
        location: e.location,
      };
  }
  if (expressions.any.length === 0) return undefined;
  const reasons = expressions.any.map((e) => [e, outcome(e)] as const);
  if (reasons.some(([, why]) => why === undefined)) return undefined;
  const [first] = reasons;
  return {
    message: `no assertAny expression holds: ${reasons.map(([e, why]) => `${JSON.stringify(e.expression)} ${why ?? ""}`).join("; ")}`,
    location: first?.[0].location ?? location,
  };
}
