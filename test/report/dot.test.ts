import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DotReporter } from "../../src/report/dot.ts";
import { Capture, FakeClock, drive, passing, passingResult, run } from "./events.ts";
import { FAILURES } from "./expected.ts";

describe("DotReporter", () => {
  it("prints a character per test (× for a retried attempt), then failures and the summary", async () => {
    const out = new Capture();
    const clock = new FakeClock();
    await drive(new DotReporter({ stream: out, reportDir: "/unused", now: clock.now, color: true }), clock);
    assert.equal(
      out.plain,
      `Running 4 tests using 2 workers against local cluster "kubeproof"

cluster: local cluster ready in 3.1s
·×±°F
${FAILURES}
  1 passed, 1 failed, 1 flaky, 1 skipped (33.5s)
`,
    );
  });

  it("wraps rows at 80 characters and starts messages on a fresh line", () => {
    const out = new Capture();
    const reporter = new DotReporter({ stream: out, reportDir: "/unused", color: false });
    reporter.onBegin(run, [passing]);
    for (let i = 0; i < 81; i++) reporter.onTestEnd(passing, passingResult);
    reporter.onInfo("cleaning up");
    reporter.onError({ message: "cluster unreachable" });
    reporter.onEnd({
      status: "passed",
      durationMs: 90_000,
      counts: { passed: 81, failed: 0, flaky: 0, skipped: 0, interrupted: 0 },
    });
    const lines = out.text.split("\n");
    assert.equal(lines[2], "·".repeat(80));
    assert.deepEqual(lines.slice(3), [
      "·",
      "cleaning up",
      "error: cluster unreachable",
      "",
      "  81 passed (1m30s)",
      "",
    ]);
  });
});
