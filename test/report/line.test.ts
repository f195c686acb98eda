import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LineReporter } from "../../src/report/line.ts";
import { Capture, FakeClock, drive, screen } from "./events.ts";
import { HEADER, SUMMARY, failedBlock, flakyBlock } from "./expected.ts";

// Failures print as their test ends, so the flaky test (which ends first) comes first.
const FLAKY = flakyBlock(1);
const FAILED = failedBlock(2);

describe("LineReporter", () => {
  it("outside a TTY prints only failures, as they happen, and the summary", async () => {
    const out = new Capture();
    const clock = new FakeClock();
    await drive(new LineReporter({ stream: out, reportDir: "/unused", now: clock.now, color: true }), clock);
    assert.equal(out.plain, HEADER + FLAKY + FAILED + SUMMARY);
  });

  it("in a TTY keeps one counter line updated in place, above which failures appear", async () => {
    const out = new Capture({ columns: 120, rows: 30 });
    const clock = new FakeClock();
    const seen: Record<string, string> = {};
    await drive(new LineReporter({ stream: out, reportDir: "/unused", now: clock.now }), clock, (moment) => {
      seen[moment] = screen(out.text);
    });
    assert.equal(seen["two running"], `${HEADER}[2/4] e2e/widget/chainsaw-test.yaml:3 › widget-scales-out`);
    assert.equal(screen(out.text), (HEADER + FLAKY + FAILED + SUMMARY).trimEnd());
    // The flaky test's retry was shown as such, and the failure count joined the counter afterwards.
    assert.match(out.plain, /\[3\/4\] e2e\/metrics\/chainsaw-test.yaml:2 › metrics-endpoint \(retry #1\)/);
    assert.match(
      out.plain,
      /\[4\/4\] e2e\/metrics\/chainsaw-test.yaml:2 › metrics-endpoint \(retry #1\) · 1 failed/,
    );
  });
});
