import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pc from "picocolors";
import type {
  OperationResult,
  StepPhase,
  StepResult,
  TestAttempt,
  TestResult,
} from "../../src/model/result.ts";
import {
  colorDiff,
  failureMessage,
  failurePoint,
  formatAttempt,
  formatFailure,
  formatTestDetails,
} from "../../src/report/failure-format.ts";
import { plain } from "../../src/report/text.ts";
import { failing, failingResult } from "./events.ts";

const F = "e2e/t/chainsaw-test.yaml";
type Op = OperationResult & { phase: StepPhase };
const op = (line: number, extra: Partial<Op>): Op => ({
  type: "apply",
  phase: "try",
  location: { file: F, line, col: 7 },
  status: "passed",
  durationMs: 1,
  ...extra,
});
const step = (name: string, operations: Op[], status: StepResult["status"] = "passed"): StepResult => ({
  name,
  location: { file: F, line: 2, col: 5 },
  status,
  durationMs: 1,
  operations,
});

describe("failurePoint", () => {
  it("takes the operation whose error is the attempt's, over an earlier failure that continued on error", () => {
    const early = op(5, { type: "script", status: "failed", error: { message: "lint warning" } });
    const cause = op(9, { type: "assert", status: "failed", error: { message: "expected 3, got 1" } });
    const attempt: TestAttempt = {
      status: "failed",
      durationMs: 1,
      error: { message: "expected 3, got 1" },
      steps: [step("s", [early, cause], "failed")],
    };
    assert.equal(failurePoint(attempt).operation, cause);
    const lines = formatAttempt(attempt, plain);
    assert.deepEqual(lines, [
      `step s › assert at ${F}:9:7`,
      "",
      "expected 3, got 1",
      "",
      "other failures:",
      `  - step s › script: lint warning (${F}:5:7)`,
    ]);
  });

  it("without an attempt error, takes the first failed operation and names non-try phases", () => {
    const cleanup = op(12, {
      type: "delete",
      phase: "cleanup",
      description: "remove the widget",
      status: "failed",
      error: { message: "timed out waiting for deletion" },
    });
    const attempt: TestAttempt = {
      status: "failed",
      durationMs: 1,
      steps: [step("s", [op(3, {}), cleanup])],
    };
    assert.deepEqual(formatAttempt(attempt, plain).slice(0, 3), [
      `step s › cleanup › delete (remove the widget) at ${F}:12:7`,
      "",
      "timed out waiting for deletion",
    ]);
  });

  it("shows an error outside any operation (the namespace could not be created) on its own", () => {
    const attempt: TestAttempt = {
      status: "failed",
      durationMs: 1,
      error: { message: 'namespaces "kp-x" is forbidden', location: { file: F, line: 1, col: 1 } },
      steps: [],
    };
    assert.deepEqual(formatAttempt(attempt, plain), ['namespaces "kp-x" is forbidden', `  at ${F}:1:1`]);
  });
});

describe("formatTestDetails", () => {
  it("lists earlier failed attempts of a retried test after the last one", () => {
    const attempt = (message: string): TestAttempt => ({
      status: "failed",
      durationMs: 1,
      steps: [step("s", [op(4, { status: "failed", error: { message } })], "failed")],
    });
    const result: TestResult = {
      status: "failed",
      durationMs: 3,
      attempts: [attempt("conflict\nmore detail"), attempt("timeout"), attempt("timeout")],
    };
    assert.deepEqual(formatTestDetails(result), [
      `step s › apply at ${F}:4:7`,
      "",
      "timeout",
      "",
      `attempt 1 of 3: step s › apply: conflict (${F}:4:7)`,
      `attempt 2 of 3: step s › apply: timeout (${F}:4:7)`,
    ]);
    assert.equal(failureMessage(result), "timeout");
  });

  it("keeps the last 20 lines of a failed script's output", () => {
    const stdout = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`).join("\n");
    const attempt: TestAttempt = {
      status: "failed",
      durationMs: 1,
      steps: [
        step("s", [
          op(4, { type: "script", status: "failed", error: { message: "exit 1" }, output: { stdout } }),
        ]),
      ],
    };
    const lines = formatAttempt(attempt, plain);
    const at = lines.indexOf("stdout (last 20 of 25 lines):");
    assert.notEqual(at, -1);
    assert.equal(lines[at + 1], "  line 6");
    assert.equal(lines.at(-1), "  line 25");
  });

  it("says why an interrupted test stopped", () => {
    const result: TestResult = {
      status: "interrupted",
      durationMs: 1,
      attempts: [
        {
          status: "interrupted",
          durationMs: 1,
          steps: [step("s", [op(4, { type: "wait", status: "interrupted" })], "interrupted")],
        },
      ],
    };
    assert.deepEqual(formatTestDetails(result), [
      "interrupted",
      "",
      `step s › wait at ${F}:4:7`,
      "",
      "interrupted without a recorded error",
    ]);
  });
});

describe("formatFailure", () => {
  it("colours the diff: removals red, additions green, hunks cyan, headers dim", () => {
    const c = pc.createColors(true);
    assert.deepEqual(colorDiff("--- expected\n+++ actual\n@@ -1 +1 @@\n-a: 1\n+a: 2\n same\n", c), [
      c.dim("--- expected"),
      c.dim("+++ actual"),
      c.cyan("@@ -1 +1 @@"),
      c.red("-a: 1"),
      c.green("+a: 2"),
      " same",
    ]);
    const text = formatFailure(failing, failingResult, 1, c);
    assert.ok(text.includes(c.red("      -  readyReplicas: 3".trimStart())));
    assert.ok(text.startsWith(c.red("  1) e2e/widget/chainsaw-test.yaml:3 › widget-scales-out")));
  });
});

describe("failurePoint with a test-level error", () => {
  it("puts a test timeout on the operation that was running when it hit", () => {
    const running = op(8, { type: "wait", status: "interrupted" });
    const attempt: TestAttempt = {
      status: "failed",
      durationMs: 1,
      error: { message: "test timed out after 5m0s" },
      steps: [step("s", [op(4, {}), running], "interrupted")],
    };
    assert.deepEqual(failurePoint(attempt), {
      step: attempt.steps[0],
      operation: running,
      detail: attempt.error,
    });
    assert.deepEqual(formatAttempt(attempt, plain), [
      `step s › wait at ${F}:8:7`,
      "",
      "test timed out after 5m0s",
    ]);
  });
});

describe("formatAttempt hints", () => {
  it("shows the diagnostics' hints before the cleanup warnings and the namespace", () => {
    const attempt: TestAttempt = {
      ...failingResult.attempts[0],
      hints: ['pod web cannot get image "x.io/app:1" (ErrImagePull): load it with `kubeproof cluster load`'],
      cleanupWarnings: ["namespace still terminating"],
    };
    const lines = formatAttempt(attempt, plain);
    const hint = lines.indexOf(
      'hint: pod web cannot get image "x.io/app:1" (ErrImagePull): load it with `kubeproof cluster load`',
    );
    assert.ok(hint >= 0, lines.join("\n"));
    assert.ok(hint < lines.indexOf("cleanup: namespace still terminating"));
    assert.ok(hint < lines.indexOf("namespace: kp-widget-7f3a"));
  });
});
