import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildFeedback, type CheckInput } from "../../../src/gate/feedback/document.ts";
import { renderMarkdown, toMarkdown } from "../../../src/gate/feedback/markdown.ts";
import type { FeedbackDocument } from "../../../src/model/feedback.ts";
import { fixture, ROOTS } from "./support.ts";

function check(fields: Partial<CheckInput> & Pick<CheckInput, "name">): CheckInput {
  return { tier: "local", exitCode: 1, durationMs: 100, ...fields };
}

describe("markdown", () => {
  it("renders the verdict, tiers, passed checks and a section per check that did not pass", () => {
    const doc: FeedbackDocument = {
      schemaVersion: 1,
      verdict: "FAIL",
      tiers: [
        { name: "local", status: "failed", durationMs: 4200, checks: 2 },
        { name: "job", status: "skipped", durationMs: 0, checks: 0, skipped: "the local tier failed" },
      ],
      checks: [
        {
          tier: "local",
          name: "lint",
          status: "passed",
          exitCode: 0,
          durationMs: 1200,
          timedOut: false,
          failures: [],
          omittedFailures: 0,
          logExcerpt: "",
        },
        {
          tier: "local",
          name: "unit",
          command: "go test ./...",
          status: "failed",
          exitCode: 1,
          durationMs: 3000,
          timedOut: false,
          firstBuildError: { file: "cart/cart.go", line: 3, col: 2, message: "undefined: foo", tool: "go" },
          failures: [
            {
              name: "TestTotal",
              file: "cart/cart_test.go",
              line: 7,
              message: "got <5>, want 6",
              framework: "go",
            },
            { name: "TestDiscount/ten_percent", message: "got:  89\nwant: 90", framework: "go" },
          ],
          omittedFailures: 3,
          logExcerpt: "FAIL\texample.com/shop/cart\t0.004s\n",
        },
        {
          tier: "job",
          name: "e2e",
          status: "skipped",
          exitCode: null,
          durationMs: 0,
          timedOut: false,
          skipped: "the local tier failed",
          failures: [],
          omittedFailures: 0,
          logExcerpt: "",
        },
      ],
      truncated: false,
    };
    assert.equal(
      toMarkdown(doc),
      [
        "# kubeproof gate: FAIL",
        "",
        "1 of 2 checks did not pass",
        "",
        "Tiers: local ✗ failed (2 checks, 4.2s) · job – skipped: the local tier failed",
        "",
        "Passed: local / lint (1.2s)",
        "",
        "Skipped: job / e2e: the local tier failed",
        "",
        "## ✗ local / unit — failed",
        "",
        "- command: `go test ./...`",
        "- exit code: 1 · duration: 3s · timed out: no",
        "",
        "**First build error** (go) at `cart/cart.go:3:2`: undefined: foo",
        "",
        "**Failing tests** (2 of 5 shown):",
        "",
        "- `cart/cart_test.go:7` — TestTotal: got \\<5>, want 6",
        "- TestDiscount/ten_percent",
        "",
        "  ```",
        "  got:  89",
        "  want: 90",
        "  ```",
        "",
        "Log (end):",
        "",
        "```text",
        "FAIL\texample.com/shop/cart\t0.004s",
        "```",
        "",
      ].join("\n"),
    );
  });

  it("fences a log that contains backticks with a longer fence", () => {
    const doc = buildFeedback({ checks: [check({ name: "docs", output: "```\nbad block\n`````\n" })] });
    assert.ok(toMarkdown(doc).includes("``````text\n```\nbad block\n`````\n``````"));
  });

  it("stays within its own size limit, noting that it was shortened", () => {
    const checks = ["go/test.txt", "jest/vitest-color.txt", "pytest/failures.txt", "node/spec-tsx.txt"].map(
      (f) => check({ name: f, output: fixture(f) }),
    );
    const doc = buildFeedback({ checks, repoRoot: "/tmp/kpfx" }, { maxBytes: 65536 });
    const full = renderMarkdown(doc, { maxBytes: 65536 });
    assert.ok(!full.includes("shortened"));
    for (const maxBytes of [1024, 3000, 8000]) {
      const md = renderMarkdown(doc, { maxBytes });
      assert.ok(Buffer.byteLength(md) <= maxBytes, `${Buffer.byteLength(md)} > ${maxBytes}`);
      assert.ok(md.startsWith("# kubeproof gate: FAIL\n"));
      assert.ok(md.includes("_Some output was shortened to fit the size limit._"));
    }
  });

  it("says when nothing ran, and why", () => {
    const doc = buildFeedback({
      checks: [check({ name: "unit", exitCode: null, skipped: "no changed file matches its paths" })],
    });
    assert.ok(
      toMarkdown(doc).startsWith(
        "# kubeproof gate: PASS\n\nNo checks ran: all 1 were skipped (no changed file matches its paths)\n",
      ),
      toMarkdown(doc),
    );
    assert.ok(
      toMarkdown(buildFeedback({ checks: [] })).startsWith("# kubeproof gate: ERROR\n\nNo checks ran\n"),
    );
  });

  it("says PASS plainly", () => {
    const doc = buildFeedback({ checks: [check({ name: "unit", exitCode: 0, durationMs: 65_000 })] });
    assert.equal(
      toMarkdown(doc),
      "# kubeproof gate: PASS\n\n1 of 1 check passed\n\nTiers: local ✓ passed (1 check, 1m5s)\n\nPassed: local / unit (1m5s)\n",
    );
  });

  it("prints durations as the rest of kubeproof does", () => {
    const doc = buildFeedback({
      checks: [
        check({ name: "unit", exitCode: 0, durationMs: 450 }),
        check({ name: "lint", exitCode: 0, durationMs: 1540 }),
        check({ name: "e2e", exitCode: 0, durationMs: 61_000 }),
      ],
    });
    assert.match(
      toMarkdown(doc),
      /Passed: local \/ unit \(450ms\), local \/ lint \(1\.5s\), local \/ e2e \(1m1s\)/,
    );
  });

  it("renders a kubeproof e2e failure pointing at the test file line", () => {
    const doc = buildFeedback({
      repoRoot: ROOTS.kubeproof,
      checkoutDirs: [ROOTS.kubeproofJob],
      checks: [check({ tier: "job", name: "e2e", output: fixture("kubeproof/output.txt") })],
    });
    assert.ok(
      toMarkdown(doc).includes(
        "- `e2e/widget/chainsaw-test.yaml:27` — widget-scales-out: assert widgets.example.com/big (namespace kp-7f3a): .status.readyReplicas: expected 3, got 1\n",
      ),
    );
  });
});
