import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nodeReasons, unschedulableVerdict, waitsForCapacity } from "../../../src/gate/job/scheduling.ts";

/** Scheduler messages as kube-scheduler 1.3x writes them on PodScheduled=False/Unschedulable. */
const INSUFFICIENT_CPU =
  "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
const MIXED =
  "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
/** What kube-scheduler 1.36 wrote in the local cluster for a pod asking more cpu than any node has. */
const WITH_CLAIMS =
  "0/2 nodes are available: 2 Insufficient cpu. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.";
const TAINT = "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }.";
const SELECTOR = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.";

describe("unschedulable Job pods", () => {
  it("reads the per-node reasons of a scheduler message", () => {
    assert.deepEqual(nodeReasons(INSUFFICIENT_CPU), ["Insufficient cpu"]);
    assert.deepEqual(nodeReasons(WITH_CLAIMS), ["Insufficient cpu"]);
    assert.deepEqual(nodeReasons(TAINT), ["node(s) had untolerated taint {node.kubernetes.io/not-ready: }"]);
    assert.deepEqual(nodeReasons(MIXED), [
      "Insufficient cpu",
      "Insufficient memory",
      "node(s) didn't match Pod's node affinity/selector",
    ]);
    assert.deepEqual(nodeReasons("0/2 nodes are available: 1 Too many pods, 1 Insufficient cpu"), [
      "Too many pods",
      "Insufficient cpu",
    ]);
    assert.deepEqual(nodeReasons("no nodes available to schedule pods"), []);
  });

  it("waits for capacity only when every node lacks capacity, not a fitting shape", () => {
    assert.equal(waitsForCapacity(INSUFFICIENT_CPU), true);
    assert.equal(waitsForCapacity(WITH_CLAIMS), true);
    assert.equal(waitsForCapacity(TAINT), false);
    assert.equal(waitsForCapacity("0/2 nodes are available: 2 Too many pods."), true);
    assert.equal(waitsForCapacity(MIXED), false);
    assert.equal(waitsForCapacity(SELECTOR), false);
    assert.equal(waitsForCapacity("no nodes available to schedule pods"), false);
  });

  it("is an ERROR at once for a pod no node can take", () => {
    assert.deepEqual(unschedulableVerdict(SELECTOR, 0, 0), { state: "error", message: SELECTOR });
    assert.deepEqual(unschedulableVerdict(undefined, 0, 0), {
      state: "error",
      message: "no node fits the pod",
    });
  });

  it("waits out the grace period from when the pod was first seen, then is an ERROR", () => {
    assert.deepEqual(unschedulableVerdict(INSUFFICIENT_CPU, 1_000, 11_000, 60_000), {
      state: "waiting",
      message: INSUFFICIENT_CPU,
      recheckInMs: 50_000,
    });
    assert.deepEqual(unschedulableVerdict(INSUFFICIENT_CPU, 1_000, 61_000, 60_000), {
      state: "error",
      message: `${INSUFFICIENT_CPU} (still waiting for capacity after 1m)`,
    });
  });
});
