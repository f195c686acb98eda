import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkStatus, verdictOf } from "../../../src/gate/feedback/index.ts";
import { jobCheckResults } from "../../../src/gate/job/verdict.ts";
import { collected, pod, summary, terminated } from "./verdict-support.ts";

/**
 * Verdict rules on pod and Job states as the API server reports them. The cluster tests drive the
 * same states through kwok; the states kwok cannot produce (a failing init container, a runner
 * killed before it wrote a summary) are covered here.
 */

describe("jobCheckResults", () => {
  it("PASS needs the summary to say every check passed", () => {
    const results = jobCheckResults(
      collected({
        pod: pod({
          phase: "Succeeded",
          containerStatuses: [
            {
              name: "checks",
              ...terminated(
                0,
                summary([
                  { name: "unit", exitCode: 0, seconds: 3, timedOut: false, error: "" },
                  { name: "e2e", exitCode: 0, seconds: 9, timedOut: false, error: "" },
                ]),
              ),
            },
          ],
        }),
      }),
    );
    assert.equal(verdictOf(results.map(checkStatus)), "PASS");
    assert.deepEqual(
      results.map((r) => [r.name, r.exitCode, r.durationMs]),
      [
        ["unit", 0, 3000],
        ["e2e", 0, 9000],
      ],
    );
  });

  it("a Job that completed without a summary is ERROR, not PASS", () => {
    const results = jobCheckResults(
      collected({
        pod: pod({ phase: "Succeeded", containerStatuses: [{ name: "checks", ...terminated(0) }] }),
        log: "done\n",
      }),
    );
    assert.equal(verdictOf(results.map(checkStatus)), "ERROR");
    assert.deepEqual(results[0], {
      tier: "cluster",
      name: "(job)",
      command: "Job gates/kp-gate-cluster-x",
      exitCode: null,
      durationMs: 12_000,
      error: "the Job completed without a result summary; the runner exited 0 (Completed)",
      output: "done\n",
    });
    assert.deepEqual(
      results.slice(1).map((r) => r.skipped),
      ["no result from the Job", "no result from the Job"],
    );
  });

  it("FAIL carries each check's own part of the log", () => {
    const log = [
      "##kubeproof-gate## begin 0 unit",
      "ok  example.com/shop/cart 0.1s",
      "",
      "##kubeproof-gate## end 0 exit=0",
      "##kubeproof-gate## begin 1 e2e",
      "--- FAIL: TestE2E (3.00s)",
      "    e2e_test.go:12: pod never became ready",
      "FAIL",
      "",
      "##kubeproof-gate## end 1 exit=1",
    ].join("\n");
    const results = jobCheckResults(
      collected({
        assessment: { state: "finished", outcome: "failed", reason: "BackoffLimitExceeded" },
        pod: pod({
          phase: "Failed",
          containerStatuses: [
            {
              name: "checks",
              ...terminated(
                1,
                summary([
                  { name: "unit", exitCode: 0, seconds: 1, timedOut: false, error: "" },
                  {
                    name: "e2e",
                    exitCode: 1,
                    seconds: 3,
                    timedOut: false,
                    error: "--- FAIL: TestE2E (3.00s)",
                  },
                ]),
              ),
            },
          ],
        }),
        log,
      }),
    );
    assert.equal(verdictOf(results.map(checkStatus)), "FAIL");
    assert.deepEqual(
      results.map((r) => r.output),
      [
        "ok  example.com/shop/cart 0.1s",
        "--- FAIL: TestE2E (3.00s)\n    e2e_test.go:12: pod never became ready\nFAIL",
      ],
    );
  });

  it("a runner that died (OOMKilled) before writing a summary is ERROR with the reason", () => {
    const results = jobCheckResults(
      collected({
        assessment: {
          state: "finished",
          outcome: "failed",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
        },
        pod: pod({
          phase: "Failed",
          containerStatuses: [{ name: "checks", ...terminated(137, "", "OOMKilled") }],
        }),
      }),
    );
    assert.equal(verdictOf(results.map(checkStatus)), "ERROR");
    assert.equal(
      results[0]?.error,
      "the Job failed (BackoffLimitExceeded: Job has reached the specified backoff limit) without a result summary; the runner exited 137 (OOMKilled)",
    );
  });

  it("TIMEOUT at the deadline: the check that was running timed out, later ones were not reached", () => {
    const results = jobCheckResults(
      collected({
        assessment: { state: "finished", outcome: "deadline", reason: "DeadlineExceeded" },
        deadlineSeconds: 8,
      }),
    );
    assert.equal(verdictOf(results.map(checkStatus)), "TIMEOUT");
    assert.deepEqual(
      results.map((r) => [r.name, checkStatus(r), r.error ?? r.skipped]),
      [
        ["unit", "timedOut", "stopped: the Job's deadline (activeDeadlineSeconds 8) passed"],
        ["e2e", "skipped", "not reached: the Job's deadline (activeDeadlineSeconds 8) passed"],
      ],
    );
    // With a partial summary (the runner's TERM handler wrote it), finished checks keep their results.
    const partial = jobCheckResults(
      collected({
        assessment: { state: "finished", outcome: "deadline", reason: "DeadlineExceeded" },
        pod: pod({
          phase: "Failed",
          containerStatuses: [
            {
              name: "checks",
              ...terminated(
                143,
                summary([
                  { name: "unit", exitCode: 0, seconds: 100, timedOut: false, error: "" },
                  { name: "e2e", exitCode: 143, seconds: 400, timedOut: true, error: "waiting for rollout" },
                ]),
              ),
            },
          ],
        }),
      }),
    );
    assert.deepEqual(
      partial.map((r) => [r.name, checkStatus(r)]),
      [
        ["unit", "passed"],
        ["e2e", "timedOut"],
      ],
    );
  });

  it("a check's own timeout says how long it had", () => {
    const results = jobCheckResults(
      collected({
        assessment: { state: "finished", outcome: "failed" },
        pod: pod({
          phase: "Failed",
          containerStatuses: [
            {
              name: "checks",
              ...terminated(
                1,
                summary([
                  { name: "unit", exitCode: 143, seconds: 60, timedOut: true, error: "" },
                  { name: "e2e", exitCode: 0, seconds: 1, timedOut: false, error: "" },
                ]),
              ),
            },
          ],
        }),
      }),
    );
    assert.deepEqual(results[0], {
      tier: "cluster",
      name: "unit",
      command: "make test",
      exitCode: null,
      durationMs: 60_000,
      timedOut: true,
      error: "stopped after its timeout of 1m",
      output: "",
    });
  });

  it("an early ERROR names the reason and lists every check as not run", () => {
    const results = jobCheckResults(
      collected({
        assessment: {
          state: "error",
          reason: "CloneFailed",
          message: "commit abc is not on https://x/y; push it first",
        },
        cloneLog: "fatal: not our ref\n",
      }),
    );
    assert.deepEqual(results, [
      {
        tier: "cluster",
        name: "(job)",
        command: "Job gates/kp-gate-cluster-x",
        exitCode: null,
        durationMs: 12_000,
        error: "CloneFailed: commit abc is not on https://x/y; push it first",
        output: "fatal: not our ref\n",
      },
      {
        tier: "cluster",
        name: "unit",
        command: "make test",
        exitCode: null,
        durationMs: 0,
        skipped: "not run: CloneFailed",
      },
      {
        tier: "cluster",
        name: "e2e",
        command: "make e2e",
        exitCode: null,
        durationMs: 0,
        skipped: "not run: CloneFailed",
      },
    ]);
  });
});
