import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../src/gate/feedback/parsers/kubeproof.ts";
import type { ParsedFailures } from "../../../src/gate/feedback/types.ts";
import { prepared, ROOTS } from "./support.ts";

const expected: ParsedFailures = {
  buildErrors: [],
  failures: [
    {
      name: "widget-scales-out",
      file: "e2e/widget/chainsaw-test.yaml",
      line: 27,
      message: "assert widgets.example.com/big (namespace kp-7f3a): .status.readyReplicas: expected 3, got 1",
      framework: "kubeproof",
    },
    {
      // No message: the first line of the trace stands in.
      name: "webhook-rejects-invalid",
      file: "e2e/webhook/chainsaw-test.yaml",
      line: 15,
      message: "apply e2e/webhook/bad-widget.yaml: expected the request to be denied, but it was admitted",
      framework: "kubeproof",
    },
    {
      name: "finalizer-cleanup",
      file: "e2e/finalizer/chainsaw-test.yaml",
      message: "timed out after 1m0s waiting for widgets.example.com/doomed to be deleted",
      framework: "kubeproof",
    },
  ],
};

describe("kubeproof (CTRF) parser", () => {
  it("reads failed tests from the JSON report (a flaky pass and a skip are not failures)", () => {
    assert.deepEqual(parse(prepared("kubeproof/report.json", ROOTS.kubeproof, ROOTS.kubeproofJob)), expected);
  });

  it("finds the report inside a log", () => {
    assert.deepEqual(parse(prepared("kubeproof/output.txt", ROOTS.kubeproof, ROOTS.kubeproofJob)), expected);
  });

  it("finds a pretty-printed report after other JSON lines, and uses any CTRF tool's name", () => {
    const report = {
      results: {
        tool: { name: "playwright" },
        summary: {},
        tests: [{ name: "t", status: "failed", duration: 1 }],
      },
    };
    const out = `{"level":"info","msg":"start"}\n${JSON.stringify(report, null, 2)}\ndone\n`;
    assert.deepEqual(parse(out), {
      buildErrors: [],
      failures: [{ name: "t", message: "", framework: "playwright" }],
    });
  });

  it("finds nothing in output without a report, or with a cut-off one", () => {
    assert.deepEqual(parse('{ not json\n{"results": {"tests": [\n'), { buildErrors: [], failures: [] });
    assert.deepEqual(parse("all good\n"), { buildErrors: [], failures: [] });
  });
});
