import type { OperationType } from "../model/index.ts";
import { applyUnit, createUnit, patchUnit, updateUnit } from "./apply/unit.ts";
import { assertLogsUnit } from "./assert-logs/unit.ts";
import { assertUnit, errorUnit } from "./assert/unit.ts";
import { deleteUnit } from "./delete/unit.ts";
import { execUnit } from "./exec/unit.ts";
import { helmUnit } from "./helm/unit.ts";
import { httpUnit } from "./http/unit.ts";
import { describeUnit, eventsUnit, getUnit, podLogsUnit } from "./inspect/unit.ts";
import { lookupUnit } from "./lookup/unit.ts";
import { metricsUnit } from "./metrics/unit.ts";
import { assertPodPhaseUnit } from "./pod-phase/unit.ts";
import { commandUnit, scriptUnit } from "./process/unit.ts";
import { sleepUnit } from "./sleep/unit.ts";
import type { OperationUnit } from "./unit.ts";
import { waitUnit } from "./wait/unit.ts";

/** One unit per operation type: what the compiler checks for completeness. */
export type Registry = { readonly [K in OperationType]: OperationUnit<K> };

/**
 * Every operation. The key order is the order of the actions in the schemas and the JSON Schema
 * (Chainsaw's reference order, alphabetical).
 */
export const OPERATIONS = {
  apply: applyUnit,
  assert: assertUnit,
  assertLogs: assertLogsUnit,
  assertPodPhase: assertPodPhaseUnit,
  command: commandUnit,
  create: createUnit,
  delete: deleteUnit,
  describe: describeUnit,
  error: errorUnit,
  events: eventsUnit,
  exec: execUnit,
  get: getUnit,
  helm: helmUnit,
  http: httpUnit,
  lookup: lookupUnit,
  metrics: metricsUnit,
  patch: patchUnit,
  podLogs: podLogsUnit,
  script: scriptUnit,
  sleep: sleepUnit,
  update: updateUnit,
  wait: waitUnit,
} as const satisfies Registry;

/** The operation types in registry order. */
export const OPERATION_TYPES = Object.keys(OPERATIONS) as OperationType[];

/** The unit of `type`, typed by it. */
export function unitOf<K extends OperationType>(type: K): OperationUnit<K> {
  const registry: Registry = OPERATIONS;
  return registry[type];
}
