import type { RunInfo, RunResult, TestResult, TestStatus } from "../model/result.ts";
import { formatDuration } from "../source/duration.ts";
import { plural, type Colors } from "./text.ts";

/** `Running 5 tests using 4 workers against local cluster "kubeproof"`, as Playwright opens a run. */
export function formatRunHeader(run: RunInfo, testCount: number): string {
  const shard = run.shard ? `, shard ${run.shard.index} of ${run.shard.total}` : "";
  const cluster =
    run.cluster.kind === "local"
      ? `local cluster "${run.cluster.context}"`
      : `context "${run.cluster.context}" (${run.cluster.server})`;
  return `Running ${plural(testCount, "test")} using ${plural(run.workers, "worker")}${shard} against ${cluster}`;
}

const ORDER: readonly TestStatus[] = ["passed", "failed", "flaky", "skipped", "interrupted"];

/** `  3 passed, 1 failed, 1 flaky, 2 skipped (12.3s)`: counts that are zero are left out. */
export function formatSummary(result: RunResult, c: Colors): string {
  const paint: Record<TestStatus, (s: string) => string> = {
    passed: c.green,
    failed: c.red,
    flaky: c.yellow,
    skipped: c.yellow,
    interrupted: c.yellow,
  };
  const parts = ORDER.filter((s) => result.counts[s] > 0).map((s) => paint[s](`${result.counts[s]} ${s}`));
  const counts = parts.length > 0 ? parts.join(", ") : "no tests ran";
  const interrupted = result.status === "interrupted" ? c.yellow(" — run interrupted") : "";
  return `  ${counts} ${c.dim(`(${formatDuration(result.durationMs, { decimals: 1 })})`)}${interrupted}`;
}

/** Tests whose details are worth printing after the run: what failed, and what only passed on a retry. */
export function needsDetails(result: TestResult): boolean {
  if (result.status === "failed" || result.status === "flaky") return true;
  return result.status === "interrupted" && result.attempts.some((a) => a.error || a.status === "failed");
}

/** A failed test counts once however many attempts it took; retries appear as `N attempts`. */
export function attemptsNote(result: TestResult): string {
  return result.attempts.length > 1 ? `, ${result.attempts.length} attempts` : "";
}
