import assert from "node:assert/strict";
import { test } from "node:test";
import { hasTrueCondition, isReady } from "../../src/kube/conditions.ts";

const withConditions = (conditions: unknown): unknown => ({ status: { conditions } });

test("a Pod or Node is ready only with condition Ready=True", () => {
  assert.equal(isReady(withConditions([{ type: "Ready", status: "True" }])), true);
  assert.equal(
    isReady(
      withConditions([
        { type: "MemoryPressure", status: "False" },
        { type: "Ready", status: "True" },
      ]),
    ),
    true,
  );
  assert.equal(isReady(withConditions([{ type: "Ready", status: "False" }])), false);
  assert.equal(isReady(withConditions([{ type: "Ready", status: "Unknown" }])), false);
  // Another condition being True is not readiness (a pod's ContainersReady before Ready, a node's pressure).
  assert.equal(isReady(withConditions([{ type: "ContainersReady", status: "True" }])), false);
});

test("an object without conditions is not ready", () => {
  assert.equal(isReady({}), false);
  assert.equal(isReady({ status: {} }), false);
  assert.equal(isReady(withConditions(null)), false);
  assert.equal(isReady(undefined), false);
});

test("any condition type: a CRD is Established only with Established=True", () => {
  assert.equal(
    hasTrueCondition(withConditions([{ type: "Established", status: "True" }]), "Established"),
    true,
  );
  assert.equal(
    hasTrueCondition(withConditions([{ type: "Established", status: "False" }]), "Established"),
    false,
  );
  assert.equal(
    hasTrueCondition(withConditions([{ type: "NamesAccepted", status: "True" }]), "Established"),
    false,
  );
});
