import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatTestLine, ListReporter } from "../../src/report/list.ts";
import { plain } from "../../src/report/text.ts";
import { Capture, FakeClock, drive, failing, passing, screen, tests } from "./events.ts";
import { FAILURES, HEADER, SUMMARY } from "./expected.ts";

const LINES = `  ✓  1 e2e/configmap/chainsaw-test.yaml:4 › configmap-roundtrip (1.2s)
  ±  2 e2e/metrics/chainsaw-test.yaml:2 › metrics-endpoint (2.2s, 2 attempts)
  ↷  3 e2e/upgrade/chainsaw-test.yaml:1 › upgrade-from-v1 (skipped: requires --upgrade)
  ✘  4 e2e/widget/chainsaw-test.yaml:3 › widget-scales-out (30s)
`;

describe("ListReporter", () => {
  it("prints a permanent line per test, then failures and the summary (no live lines outside a TTY)", async () => {
    const out = new Capture();
    const clock = new FakeClock();
    await drive(new ListReporter({ stream: out, reportDir: "/unused", now: clock.now, color: true }), clock);
    assert.equal(out.plain, HEADER + LINES + FAILURES + SUMMARY);
    assert.notEqual(out.text, out.plain, "color: true colours the output");
  });

  it("writes no colour when colour is off, and nothing but newlines between lines", async () => {
    const out = new Capture();
    const clock = new FakeClock();
    await drive(new ListReporter({ stream: out, reportDir: "/unused", now: clock.now, color: false }), clock);
    assert.equal(out.text, HEADER + LINES + FAILURES + SUMMARY);
  });

  it("shows each running test with its step and elapsed time in a TTY, and leaves only permanent output", async () => {
    const out = new Capture({ columns: 120, rows: 30 });
    const clock = new FakeClock();
    const seen: Record<string, string> = {};
    await drive(new ListReporter({ stream: out, reportDir: "/unused", now: clock.now }), clock, (moment) => {
      seen[moment] = screen(out.text);
    });
    assert.equal(
      seen["two running"],
      HEADER +
        [
          "     e2e/configmap/chainsaw-test.yaml:4 › configmap-roundtrip › check [2/2] (0s)",
          "     e2e/widget/chainsaw-test.yaml:3 › widget-scales-out › deploy [1/2] (0s)",
          "  0/4 done, 2 running (0s)",
        ].join("\n"),
    );
    assert.equal(
      seen["one finished"],
      HEADER +
        [
          "  ✓  1 e2e/configmap/chainsaw-test.yaml:4 › configmap-roundtrip (1.2s)",
          "     e2e/widget/chainsaw-test.yaml:3 › widget-scales-out › deploy [1/2] (1s)",
          "  1/4 done, 1 running (1s)",
        ].join("\n"),
    );
    assert.equal(screen(out.text), (HEADER + LINES + FAILURES + SUMMARY).trimEnd());
  });

  it("keeps live lines within the terminal: cut to its width, and `… and N more` past its height", () => {
    const out = new Capture({ columns: 40, rows: 5 });
    const clock = new FakeClock();
    const reporter = new ListReporter({ stream: out, reportDir: "/unused", now: clock.now });
    for (const test of tests) reporter.onTestBegin(test, 1);
    const lines = screen(out.text).split("\n");
    assert.deepEqual(lines, [
      "     e2e/configmap/chainsaw-test.yaml:…",
      "     … and 3 more",
      "  0/0 done, 4 running (0s)",
    ]);
    reporter.onEnd({
      status: "interrupted",
      durationMs: 0,
      counts: { passed: 0, failed: 0, flaky: 0, skipped: 0, interrupted: 4 },
    });
    assert.equal(screen(out.text), "\n  4 interrupted (0s) — run interrupted");
  });

  it("marks retries in live lines", () => {
    const out = new Capture({ columns: 120, rows: 30 });
    const reporter = new ListReporter({ stream: out, reportDir: "/unused", now: () => 0 });
    reporter.onTestBegin(failing, 2);
    assert.match(screen(out.text), /widget-scales-out \(retry #1\) \(0s\)/);
    reporter.onEnd({
      status: "passed",
      durationMs: 0,
      counts: { passed: 0, failed: 0, flaky: 0, skipped: 0, interrupted: 0 },
    });
  });
});

describe("formatTestLine", () => {
  it("shows interrupted tests and failed tests with their attempt count", () => {
    assert.equal(
      formatTestLine(passing, { status: "interrupted", durationMs: 2500, attempts: [] }, 7, plain),
      "  ■  7 e2e/configmap/chainsaw-test.yaml:4 › configmap-roundtrip (2.5s)",
    );
    const attempt = { status: "failed" as const, durationMs: 10, steps: [] };
    assert.equal(
      formatTestLine(failing, { status: "failed", durationMs: 20, attempts: [attempt, attempt] }, 2, plain),
      "  ✘  2 e2e/widget/chainsaw-test.yaml:3 › widget-scales-out (20ms, 2 attempts)",
    );
  });
});
