import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assess, newestPod } from "../../../src/gate/job/verdict.ts";
import { pod, terminated } from "./verdict-support.ts";

/**
 * Verdict rules on pod and Job states as the API server reports them. The cluster tests drive the
 * same states through kwok; the states kwok cannot produce (a failing init container, a runner
 * killed before it wrote a summary) are covered here.
 */

describe("assess", () => {
  it("follows the pod through its phases while the Job runs", () => {
    assert.deepEqual(assess(undefined, undefined), { state: "running", phase: "waiting for the pod" });
    assert.deepEqual(assess({}, pod({ phase: "Pending" }, { spec: {} })), {
      state: "running",
      phase: "scheduling",
    });
    assert.deepEqual(
      assess(
        {},
        pod({ phase: "Pending", initContainerStatuses: [{ name: "clone", state: { running: {} } }] }),
      ),
      { state: "running", phase: "cloning" },
    );
    assert.deepEqual(
      assess(
        {},
        pod({
          phase: "Running",
          initContainerStatuses: [{ name: "clone", ...terminated(0) }],
          containerStatuses: [{ name: "checks", state: { running: {} } }],
        }),
      ),
      { state: "running", phase: "running checks" },
    );
  });

  it("is ERROR early when the pod cannot be scheduled, its image cannot be pulled, or the clone failed", () => {
    assert.deepEqual(
      assess(
        {},
        pod(
          {
            phase: "Pending",
            conditions: [
              {
                type: "PodScheduled",
                status: "False",
                reason: "Unschedulable",
                message: "0/2 nodes are available",
              },
            ],
          },
          { spec: {} },
        ),
      ),
      { state: "error", reason: "Unschedulable", message: "0/2 nodes are available" },
    );
    assert.deepEqual(
      assess(
        {},
        pod({
          phase: "Pending",
          initContainerStatuses: [
            {
              name: "clone",
              state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "ci:1"' } },
            },
          ],
        }),
      ),
      {
        state: "error",
        reason: "ImagePullBackOff",
        message: 'container clone: Back-off pulling image "ci:1"',
      },
    );
    assert.deepEqual(
      assess(
        { status: { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded" }] } },
        pod({
          phase: "Failed",
          initContainerStatuses: [
            { name: "clone", ...terminated(1, "commit abc is not on https://x/y; push it first") },
          ],
        }),
      ),
      { state: "error", reason: "CloneFailed", message: "commit abc is not on https://x/y; push it first" },
    );
    // ContainerCreating is on its way, not an error.
    assert.equal(
      assess(
        {},
        pod({
          phase: "Pending",
          containerStatuses: [{ name: "checks", state: { waiting: { reason: "ContainerCreating" } } }],
        }),
      ).state,
      "running",
    );
  });

  it("finishes on the Job's Complete or Failed condition, telling a deadline apart", () => {
    assert.deepEqual(assess({ status: { conditions: [{ type: "Complete", status: "True" }] } }, undefined), {
      state: "finished",
      outcome: "complete",
    });
    assert.deepEqual(
      assess(
        {
          status: {
            conditions: [
              {
                type: "Failed",
                status: "True",
                reason: "DeadlineExceeded",
                message: "Job was active longer than specified deadline",
              },
            ],
          },
        },
        undefined,
      ),
      {
        state: "finished",
        outcome: "deadline",
        reason: "DeadlineExceeded",
        message: "Job was active longer than specified deadline",
      },
    );
    // FailureTarget comes first; the verdict waits for Failed, when the pod has terminated.
    assert.equal(
      assess(
        { status: { conditions: [{ type: "FailureTarget", status: "True", reason: "DeadlineExceeded" }] } },
        undefined,
      ).state,
      "running",
    );
  });

  it("looks at the newest pod", () => {
    const old = pod(
      { phase: "Failed" },
      { metadata: { name: "old", creationTimestamp: "2026-01-01T00:00:00Z" } },
    );
    const replacement = pod(
      { phase: "Running" },
      { metadata: { name: "new", creationTimestamp: "2026-01-01T00:05:00Z" } },
    );
    assert.equal(newestPod([replacement, old])?.metadata.name, "new");
  });
});
