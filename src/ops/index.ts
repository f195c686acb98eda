import type { Operation } from "../model/index.ts";
import { unitOf } from "./registry.ts";
import { withRenderedResources } from "./render.ts";
import type { OperationContext, OperationOutcome } from "./types.ts";
import type { OperationOf } from "./unit.ts";

export type { CreatedObject, OperationContext, OperationOutcome } from "./types.ts";
export { OPERATIONS, OPERATION_TYPES, unitOf } from "./registry.ts";

/** Runs one operation of any type: the single dispatch point from the runner to the operations. */
export async function runOperation(
  operation: Operation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const ready = withRenderedResources(operation, context.namespace);
  return execute(ready.type, ready, context);
}

function execute<K extends Operation["type"]>(
  type: K,
  operation: OperationOf<K>,
  context: OperationContext,
): Promise<OperationOutcome> {
  return unitOf(type).exec(operation, context);
}
