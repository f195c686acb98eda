import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  buildFeedback,
  checkStatus,
  serializeFeedback,
  verdictOf,
  type CheckInput,
} from "../../../src/gate/feedback/document.ts";
import { feedbackDocumentSchema, type FeedbackDocument } from "../../../src/model/feedback.ts";
import { fixture, ROOTS } from "./support.ts";

const size = (doc: FeedbackDocument): number => Buffer.byteLength(serializeFeedback(doc));

function check(fields: Partial<CheckInput> & Pick<CheckInput, "name">): CheckInput {
  return { tier: "local", exitCode: 1, durationMs: 100, ...fields };
}

/** Every fixture as one failing check each: a big, realistic gate run. */
function allFixtureChecks(): CheckInput[] {
  const files = [
    "go/test.txt",
    "ginkgo/go-test-color.txt",
    "node/spec-tsx.txt",
    "jest/jest.txt",
    "jest/vitest-color.txt",
    "pytest/failures.txt",
    "make/recursive.txt",
    "kubeproof/output.txt",
  ];
  return files.map((file) => check({ name: file, command: `run ${file}`, output: fixture(file) }));
}

describe("checkStatus and verdictOf", () => {
  it("derive a check's status from its process", () => {
    assert.equal(checkStatus(check({ name: "a", exitCode: 0 })), "passed");
    assert.equal(checkStatus(check({ name: "a", exitCode: 2 })), "failed");
    assert.equal(checkStatus(check({ name: "a", exitCode: null, timedOut: true })), "timedOut");
    assert.equal(checkStatus(check({ name: "a", exitCode: 137, timedOut: true })), "timedOut");
    assert.equal(checkStatus(check({ name: "a", exitCode: null })), "error");
    assert.equal(checkStatus(check({ name: "a", exitCode: 1, error: "spawn make ENOENT" })), "error");
    assert.equal(checkStatus(check({ name: "a", exitCode: null, skipped: "tier skipped" })), "skipped");
  });

  it("put FAIL before TIMEOUT before ERROR before PASS; nothing at all is ERROR, everything skipped is PASS", () => {
    assert.equal(verdictOf(["passed", "timedOut", "failed", "error"]), "FAIL");
    assert.equal(verdictOf(["passed", "timedOut", "error"]), "TIMEOUT");
    assert.equal(verdictOf(["passed", "error", "skipped"]), "ERROR");
    assert.equal(verdictOf(["passed", "skipped"]), "PASS");
    assert.equal(verdictOf(["skipped"]), "PASS");
    assert.equal(verdictOf([]), "ERROR");
  });
});

describe("buildFeedback", () => {
  it("builds the whole document for a small run", () => {
    const doc = buildFeedback({
      repoRoot: "/home/dev/shop",
      checkoutDirs: ["/workspace/shop"],
      tiers: [{ name: "local" }, { name: "job", skipped: "the local tier failed" }],
      checks: [
        check({
          name: "lint",
          command: "npm run lint",
          exitCode: 0,
          durationMs: 1234.4,
          output: "all good\n",
        }),
        check({
          name: "unit",
          command: "go test ./...",
          durationMs: 2500,
          output: [
            "# example.com/shop/cart",
            "/workspace/shop/cart/cart.go:3:2: undefined: foo",
            "FAIL\texample.com/shop/cart [build failed]",
            "--- FAIL: TestStock (0.00s)",
            "    stock_test.go:9: want 3, got 2",
            "FAIL",
            "FAIL\texample.com/shop/stock\t0.01s",
            "",
          ].join("\n"),
        }),
        check({ tier: "job", name: "e2e", exitCode: null, durationMs: 0, skipped: "the local tier failed" }),
      ],
    });
    const expected: FeedbackDocument = {
      schemaVersion: 1,
      verdict: "FAIL",
      tiers: [
        { name: "local", status: "failed", durationMs: 3734, checks: 2 },
        { name: "job", status: "skipped", durationMs: 0, checks: 0, skipped: "the local tier failed" },
      ],
      checks: [
        {
          tier: "local",
          name: "lint",
          command: "npm run lint",
          status: "passed",
          exitCode: 0,
          durationMs: 1234,
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
          durationMs: 2500,
          timedOut: false,
          firstBuildError: { file: "cart/cart.go", line: 3, col: 2, message: "undefined: foo", tool: "go" },
          failures: [
            // The module was inferred from the build error, so the test file maps to its package directory.
            {
              name: "TestStock",
              file: "stock/stock_test.go",
              line: 9,
              message: "want 3, got 2",
              framework: "go",
            },
          ],
          omittedFailures: 0,
          logExcerpt: [
            "# example.com/shop/cart",
            "cart/cart.go:3:2: undefined: foo",
            "FAIL\texample.com/shop/cart [build failed]",
            "--- FAIL: TestStock (0.00s)",
            "    stock_test.go:9: want 3, got 2",
            "FAIL",
            "FAIL\texample.com/shop/stock\t0.01s",
            "",
          ].join("\n"),
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
    assert.deepEqual(doc, expected);
    assert.deepEqual(feedbackDocumentSchema.parse(doc), doc);
  });

  it("reports a timeout and an infrastructure error with their output", () => {
    const doc = buildFeedback({
      checks: [
        check({
          name: "e2e",
          exitCode: null,
          timedOut: true,
          durationMs: 600000,
          output: fixture("go/timeout.txt"),
        }),
        check({ name: "job", exitCode: null, error: "Job gate-abc lost: node drained", output: "" }),
      ],
      repoRoot: ROOTS.go,
    });
    assert.equal(doc.verdict, "TIMEOUT");
    assert.deepEqual(
      doc.checks.map((c) => [c.status, c.failures[0]?.name, c.error]),
      [
        ["timedOut", "TestWaitsForever", undefined],
        ["error", undefined, "Job gate-abc lost: node drained"],
      ],
    );
  });

  it("masks secrets everywhere: command, error, names, messages and logs, plain and base64", () => {
    const token = "tok_9f8e7d6c5b4a";
    const doc = buildFeedback({
      secrets: [token],
      checks: [
        check({
          name: `deploy ${token}`,
          command: `curl -H 'Authorization: Bearer ${token}' https://api`,
          error: `gave up calling with ${token}`,
          output: [
            // The tail this came from cut the secret in two.
            `${token.slice(6)} was rejected`,
            "--- FAIL: TestAuth (0.00s)",
            `    auth_test.go:4: token ${token} rejected`,
            `    auth_test.go:5: header ${Buffer.from(`Bearer ${token}`).toString("base64")}`,
            "FAIL",
          ].join("\n"),
        }),
      ],
    });
    const text = serializeFeedback(doc);
    assert.ok(!text.includes(token));
    assert.ok(!text.includes(token.slice(6)));
    assert.ok(!text.includes(Buffer.from(token).toString("base64").slice(0, 12)));
    assert.equal(doc.checks[0]?.name, "deploy ***");
    assert.equal(doc.checks[0]?.command, "curl -H 'Authorization: Bearer ***' https://api");
    assert.equal(doc.checks[0]?.failures[0]?.message.split("\n")[0], "token *** rejected");
    assert.ok(doc.checks[0]?.logExcerpt.startsWith("*** was rejected\n"));
  });

  it("stays within the size limit for a large run at every budget, and stays valid", () => {
    const noise = Array.from(
      { length: 20000 },
      (_, i) => `progress ${i}: reconciling widget-${i % 97}\n`,
    ).join("");
    const checks = [
      ...allFixtureChecks(),
      check({ name: "huge", output: `${noise}--- FAIL: TestLast (1.00s)\n` }),
    ];
    for (const maxBytes of [1024, 2000, 4096, 8192, 16384, 65536]) {
      const doc = buildFeedback({ checks, repoRoot: "/tmp/kpfx" }, { maxBytes });
      assert.ok(size(doc) <= maxBytes, `${size(doc)} > ${maxBytes}`);
      assert.equal(doc.truncated, true);
      assert.equal(doc.checks.length > 0, true);
      feedbackDocumentSchema.parse(doc);
    }
  });

  it("does not shorten anything when the document fits", () => {
    const doc = buildFeedback(
      { checks: [check({ name: "go", output: fixture("go/test.txt") })] },
      { maxBytes: 65536 },
    );
    assert.equal(doc.truncated, false);
    assert.equal(doc.checks[0]?.logExcerpt, fixture("go/test.txt"));
  });

  it("shortens log excerpts first, keeping their ends, then drops failures beyond the first", () => {
    const output = fixture("jest/vitest-color.txt");
    const inputs = { repoRoot: ROOTS.vitest, checks: [check({ name: "web", output })] };
    const full = buildFeedback(inputs, { maxBytes: 65536 });
    const fullCheck = full.checks[0];
    assert.ok(fullCheck && fullCheck.failures.length === 3 && !full.truncated);

    const excerptCut = buildFeedback(inputs, { maxBytes: size(full) - 500 });
    const cut = excerptCut.checks[0];
    assert.ok(excerptCut.truncated);
    assert.deepEqual(cut?.failures, fullCheck.failures);
    assert.ok(cut && cut.logExcerpt.length < fullCheck.logExcerpt.length);
    assert.ok(fullCheck.logExcerpt.endsWith(cut.logExcerpt));

    const failuresCut = buildFeedback(inputs, { maxBytes: 1800 });
    const few = failuresCut.checks[0];
    assert.ok(size(failuresCut) <= 1800);
    assert.deepEqual(few?.failures[0], fullCheck.failures[0]);
    assert.equal((few?.failures.length ?? 0) + (few?.omittedFailures ?? 0), 3);
    assert.ok((few?.omittedFailures ?? 0) > 0);
    assert.deepEqual(few?.firstBuildError, fullCheck.firstBuildError);
  });

  it("shortens long messages before dropping the last failure, and drops passed checks before failed ones", () => {
    const long = "x".repeat(5000);
    const checks = [
      ...Array.from({ length: 30 }, (_, i) => check({ name: `passing-${i}`, exitCode: 0, command: "true" })),
      check({ name: "go", output: `--- FAIL: TestBig (0.00s)\n    big_test.go:1: ${long}\nFAIL\n` }),
    ];
    const doc = buildFeedback({ checks }, { maxBytes: 1500 });
    assert.ok(size(doc) <= 1500);
    const failing = doc.checks.find((c) => c.name === "go");
    assert.equal(failing?.failures[0]?.name, "TestBig");
    assert.ok((failing?.failures[0]?.message.length ?? 0) < 2100);
    assert.ok(doc.checks.length < checks.length);
    assert.equal(doc.verdict, "FAIL");
  });

  it("rejects a size limit too small to hold a verdict", () => {
    assert.throws(() => buildFeedback({ checks: [] }, { maxBytes: 100 }), RangeError);
  });
});
