import type { Config } from "../config/config-schema.ts";
import type { Operation, OperationType, Step, Test } from "../model/index.ts";
import { unitOf } from "../ops/registry.ts";
import type { OperationOf, TimeoutClass } from "../ops/unit.ts";

/**
 * The operation's own timeout, else its step's, its test's, then the configuration's, for the class
 * its unit names; scaled. A unit with a rule of its own (sleep) derives its deadline itself.
 */
export function operationTimeout(
  operation: Operation,
  step: Step,
  test: Test,
  config: Config,
  multiplier: number,
): number {
  const timeout = timeoutClass(operation);
  if ("derived" in timeout) return timeout.derived(operation);
  const kind = timeout.configured;
  const base = operation.timeoutMs ?? step.timeouts[kind] ?? test.timeouts[kind] ?? config.timeouts[kind];
  return Math.round(base * multiplier);
}

function timeoutClass<K extends OperationType>(operation: OperationOf<K>): TimeoutClass<OperationOf<K>> {
  return unitOf<K>(operation.type).timeout;
}

export function cleanupTimeout(
  step: Step | undefined,
  test: Test,
  config: Config,
  multiplier: number,
): number {
  return Math.round(
    (step?.timeouts.cleanup ?? test.timeouts.cleanup ?? config.timeouts.cleanup) * multiplier,
  );
}
