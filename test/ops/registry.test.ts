import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { catchActions, tryActions } from "../../src/config/operation-schema.ts";
import { defaultConfig } from "../../src/config/config-schema.ts";
import { loadChainsawText } from "../../src/load/chainsaw.ts";
import type { Operation, OperationType, SleepOperation, Test } from "../../src/model/index.ts";
import { OPERATION_TYPES, OPERATIONS, type Registry } from "../../src/ops/registry.ts";
import type { OperationUnit, TimeoutClass } from "../../src/ops/unit.ts";
import { operationTimeout } from "../../src/run/timeouts.ts";

/**
 * A minimal valid body of every action. Typed by the operation types, so a new operation cannot be
 * added without one, and the conversion test below then covers it.
 */
const MINIMAL_BODIES = {
  apply: { resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } },
  assert: { resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } },
  command: { entrypoint: "true" },
  create: { resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } },
  delete: { ref: { apiVersion: "v1", kind: "ConfigMap", name: "a" } },
  describe: { apiVersion: "v1", kind: "ConfigMap" },
  error: { resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } },
  events: {},
  exec: { pod: { name: "a" }, command: ["true"] },
  get: { apiVersion: "v1", kind: "ConfigMap" },
  helm: { release: "a", chart: "./chart" },
  lookup: { resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } },
  http: { service: { name: "a", port: 80 } },
  metrics: { apiServer: true },
  patch: { resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } },
  podLogs: { selector: "app=a" },
  assertLogs: { name: "a", regex: "hello" },
  assertPodPhase: { name: "a" },
  script: { content: "true" },
  sleep: { duration: "1s" },
  update: { resource: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } } },
  wait: { apiVersion: "v1", kind: "Pod", for: { deletion: {} } },
} satisfies { [K in OperationType]: unknown };

const API_VERSION = { chainsaw: "chainsaw.kyverno.io/v1alpha1", kubeproof: "kubeproof.dev/v1alpha1" };

function loadSteps(
  dialect: "chainsaw" | "kubeproof",
  step: Record<string, { [action: string]: unknown }[]>,
): Test {
  const text = JSON.stringify({ apiVersion: API_VERSION[dialect], kind: "Test", spec: { steps: [step] } });
  const [test] = loadChainsawText(text, `${process.cwd()}/registry-test.yaml`, { rootDir: process.cwd() });
  assert.ok(test);
  return test;
}

describe("the operation registry", () => {
  it("has a unit for every operation type, under its own type", () => {
    for (const type of OPERATION_TYPES) assert.equal(OPERATIONS[type].type, type);
    assert.deepEqual(Object.keys(MINIMAL_BODIES).sort(), [...OPERATION_TYPES].sort());
  });

  for (const dialect of ["chainsaw", "kubeproof"] as const) {
    it(`converts every action of the ${dialect} dialect in try into an operation of its type`, () => {
      const actions = tryActions(dialect);
      const test = loadSteps(dialect, { try: actions.map((a) => ({ [a]: MINIMAL_BODIES[a] })) });
      assert.deepEqual(
        test.steps[0]?.try.map((op) => op.type),
        actions,
      );
    });

    it(`converts every action of the ${dialect} dialect allowed in catch, finally and cleanup`, () => {
      const actions = catchActions(dialect);
      const ops = actions.map((a) => ({ [a]: MINIMAL_BODIES[a] }));
      const test = loadSteps(dialect, {
        try: [{ sleep: { duration: "1s" } }],
        catch: ops,
        finally: ops,
        cleanup: ops,
      });
      const step = test.steps[0];
      assert.ok(step);
      for (const block of [step.catch, step.finally, step.cleanup]) {
        assert.deepEqual(
          block.map((op) => op.type),
          actions,
        );
      }
    });
  }

  it("gives every operation type a finite, positive timeout from the configuration's defaults", () => {
    const test = loadSteps("kubeproof", {
      try: tryActions("kubeproof").map((a) => ({ [a]: MINIMAL_BODIES[a] })),
    });
    const step = test.steps[0];
    assert.ok(step);
    const seen = new Set<OperationType>();
    for (const operation of step.try) {
      const ms = operationTimeout(operation, step, test, defaultConfig(), 1);
      assert.ok(Number.isFinite(ms) && ms > 0, `${operation.type}: timeout ${ms}`);
      seen.add(operation.type);
    }
    assert.deepEqual([...seen].sort(), [...OPERATION_TYPES].sort());
  });

  it("derives sleep's deadline from its duration, beyond the timeout multiplier's reach", () => {
    const sleep: Operation = { ...baseOf(), type: "sleep", durationMs: 1000 };
    const test = loadSteps("chainsaw", { try: [{ sleep: { duration: "1s" } }] });
    const step = test.steps[0];
    assert.ok(step);
    assert.equal(
      operationTimeout(sleep, step, test, defaultConfig(), 1),
      operationTimeout(sleep, step, test, defaultConfig(), 3),
    );
    assert.ok(operationTimeout(sleep, step, test, defaultConfig(), 1) > 1000);
  });
});

function baseOf() {
  return {
    location: { file: "x.yaml", line: 1, col: 1 },
    bindings: [],
    outputs: [],
    template: true,
    continueOnError: false,
  };
}

// Type-level checks, run by `npm run typecheck` (which covers test/). Each line below must not compile.

const { apply: _apply, ...withoutApply } = OPERATIONS;
// @ts-expect-error a registry without the apply unit is refused
export const missingType: Registry = withoutApply;

// @ts-expect-error a unit under another type's key is refused
export const swapped: Registry = { ...OPERATIONS, apply: OPERATIONS.assert };

// @ts-expect-error a unit without its executor is refused
export const noExec: OperationUnit<"sleep"> = {
  type: "sleep",
  document: OPERATIONS.sleep.document,
  timeout: OPERATIONS.sleep.timeout,
};

// @ts-expect-error a unit without a timeout class is refused
export const noTimeout: OperationUnit<"sleep"> = {
  type: "sleep",
  document: OPERATIONS.sleep.document,
  exec: OPERATIONS.sleep.exec,
};

// @ts-expect-error a timeout class must be one the configuration defines (cleanup is not an operation's)
export const unknownClass: TimeoutClass<SleepOperation> = { configured: "cleanup" };
