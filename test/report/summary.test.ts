import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatRunHeader, formatSummary } from "../../src/report/summary.ts";
import { plain } from "../../src/report/text.ts";
import { run } from "./events.ts";

const counts = { passed: 0, failed: 0, flaky: 0, skipped: 0, interrupted: 0 };

describe("formatSummary", () => {
  it("lists non-zero counts in a fixed order with the run's duration", () => {
    assert.equal(
      formatSummary(
        {
          status: "failed",
          durationMs: 12_345,
          counts: { ...counts, passed: 3, failed: 1, flaky: 1, skipped: 2 },
        },
        plain,
      ),
      "  3 passed, 1 failed, 1 flaky, 2 skipped (12.3s)",
    );
    assert.equal(formatSummary({ status: "passed", durationMs: 5, counts }, plain), "  no tests ran (5ms)");
    assert.equal(
      formatSummary(
        { status: "interrupted", durationMs: 2000, counts: { ...counts, passed: 1, interrupted: 2 } },
        plain,
      ),
      "  1 passed, 2 interrupted (2s) — run interrupted",
    );
  });
});

describe("formatRunHeader", () => {
  it("names the cluster, the workers and the shard", () => {
    assert.equal(formatRunHeader(run, 1), 'Running 1 test using 2 workers against local cluster "kubeproof"');
    assert.equal(
      formatRunHeader(
        {
          ...run,
          workers: 1,
          cluster: { kind: "kubeconfig", context: "kind-ci", server: "https://10.0.0.1:6443" },
          shard: { index: 2, total: 3 },
        },
        7,
      ),
      'Running 7 tests using 1 worker, shard 2 of 3 against context "kind-ci" (https://10.0.0.1:6443)',
    );
  });
});
