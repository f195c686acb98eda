import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GateConfig } from "../../src/gate/config.ts";
import { feedbackDocumentSchema, type CheckFeedback } from "../../src/gate/feedback/index.ts";
import { runGate } from "../../src/gate/gate.ts";
import { fixtureRepo } from "./support.ts";

/**
 * Real failing commands in fixture repositories (test/fixtures/gate/repos), run by the local tier:
 * the feedback must say exactly what failed and where.
 */

// node:test marks its own child processes with this; a nested `node --test` must not inherit it.
const { NODE_TEST_CONTEXT: _, ...cleanEnv } = process.env;
const env = { ...cleanEnv, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod", NO_COLOR: "1" };

function oneCheck(name: string, run: string): GateConfig {
  return { tiers: [{ name: "fast", checks: [{ name, run, timeout: 120_000 }] }] };
}

async function gateIn(root: string, config: GateConfig): Promise<CheckFeedback> {
  const result = await runGate({ config, root, isGitRepo: true, env });
  assert.equal(feedbackDocumentSchema.safeParse(result.feedback).success, true);
  assert.equal(result.verdict, "FAIL");
  assert.equal(result.exitCode, 1);
  const [check] = result.feedback.checks;
  assert.ok(check);
  return check;
}

/** Timings differ from run to run; everything else in the log must not. */
function stable(log: string): string {
  return log.replace(/\d+\.\d+s\b/g, "N.NNNs").replace(/duration_ms: [\d.]+/g, "duration_ms: N");
}

describe("local tier feedback from real failures", () => {
  it("go test: each failing test and subtest with file:line and message", async () => {
    const root = fixtureRepo("go");
    const check = await gateIn(root, oneCheck("unit", "go test ./..."));
    assert.equal(check.status, "failed");
    assert.equal(check.exitCode, 1);
    assert.equal(check.timedOut, false);
    assert.equal(check.command, "go test ./...");
    assert.equal(check.firstBuildError, undefined);
    assert.deepEqual(check.failures, [
      {
        name: "TestTotal",
        file: "cart/cart_test.go",
        line: 7,
        message: "Total([100 250]) = 250, want 350",
        framework: "go",
      },
      {
        name: "TestDiscount/whole_cart",
        file: "cart/cart_test.go",
        line: 25,
        message: "Discount(Total([500 500]), 50) = 250, want 500",
        framework: "go",
      },
    ]);
    assert.equal(check.omittedFailures, 0);
    assert.equal(
      stable(check.logExcerpt),
      [
        "--- FAIL: TestTotal (N.NNNs)",
        "    cart_test.go:7: Total([100 250]) = 250, want 350",
        "--- FAIL: TestDiscount (N.NNNs)",
        "    --- FAIL: TestDiscount/whole_cart (N.NNNs)",
        "        cart_test.go:25: Discount(Total([500 500]), 50) = 250, want 500",
        "FAIL",
        "FAIL\texample.com/shop/cart\tN.NNNs",
        "FAIL",
        "",
      ].join("\n"),
    );
  });

  it("node --test: the failing test with its file:line and assertion", async () => {
    const root = fixtureRepo("node");
    const check = await gateIn(root, oneCheck("unit", "node --test test/"));
    assert.equal(check.status, "failed");
    assert.equal(check.exitCode, 1);
    assert.equal(check.firstBuildError, undefined);
    assert.deepEqual(check.failures, [
      {
        name: "adds small numbers",
        file: "test/math.test.js",
        line: 6,
        message: "AssertionError: Expected values to be strictly equal:\n\n5 !== 4",
        framework: "node-test",
      },
    ]);
    // Paths in the log are repository-relative, whatever the temporary directory was.
    assert.ok(!check.logExcerpt.includes(root));
    assert.match(check.logExcerpt, /location: 'test\/math\.test\.js:5:1'/);
    assert.match(check.logExcerpt, /# fail 1\n/);
  });

  it("make: the first compile error of the failed recipe, before anything else", async () => {
    const root = fixtureRepo("make");
    const check = await gateIn(root, oneCheck("build", "make build"));
    assert.equal(check.status, "failed");
    assert.equal(check.exitCode, 2);
    assert.deepEqual(check.firstBuildError, {
      file: "main.go",
      line: 7,
      col: 2,
      message: "declared and not used: greeting",
      tool: "go",
    });
    assert.deepEqual(check.failures, []);
    assert.equal(
      check.logExcerpt,
      [
        "go build -o bin/tool .",
        "# example.com/tool",
        "./main.go:7:2: declared and not used: greeting",
        "./main.go:8:14: undefined: greting",
        "make: *** [Makefile:2: build] Error 1",
        "",
      ].join("\n"),
    );
  });
});
