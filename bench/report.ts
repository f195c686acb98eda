/**
 * `npm run bench:report`: how long `--reporter html` takes to write index.html at the end of a run, and
 * how big the page is, for 50 and 500 tests from a generated result set shaped like a real run: most
 * tests pass, some fail with a diff and diagnostics files (objects, events, pod logs on disk, some past
 * the embedding cap), some are flaky (two attempts), some skipped; three steps of three operations each.
 * Medians over BENCH_RUNS runs (default 5). Last line: `ms50=<n> kb50=<n> ms500=<n> kb500=<n>`.
 */
import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type {
  Attachment,
  OperationResult,
  RunInfo,
  StepPhase,
  StepResult,
  TestAttempt,
  TestInfo,
  TestResult,
} from "../src/model/result.ts";
import { HtmlReporter } from "../src/report/html/reporter.ts";
import { median } from "./stats.ts";

const runs = Number(process.env.BENCH_RUNS ?? 5);

function info(i: number): TestInfo {
  const file = `e2e/area-${i % 20}/chainsaw-test.yaml`;
  return {
    id: `${file}::test-${i}`,
    name: `test-${i}`,
    location: { file, line: 1 + (i % 7) * 30, col: 1 },
    format: "chainsaw",
    labels: { suite: i % 3 === 0 ? "smoke" : "full" },
    stepNames: ["deploy", "scale", "check"],
  };
}

function steps(file: string, failed: boolean): StepResult[] {
  return ["deploy", "scale", "check"].map((name, s) => {
    const operations: (OperationResult & { phase: StepPhase })[] = ["apply", "patch", "assert"].map(
      (type, o) => {
        const failing = failed && s === 2 && o === 2;
        return {
          type: type as OperationResult["type"],
          phase: "try",
          location: { file, line: 10 + s * 10 + o * 3, col: 11 },
          status: failing ? "failed" : "passed",
          durationMs: 50 + (((s * 3 + o) * 37) % 400) + (failing ? 30_000 : 0),
          ...(type === "assert" ? { evaluations: failing ? 60 : 2 } : {}),
          ...(failing
            ? {
                error: {
                  message:
                    "Deployment ns/web did not match within 30s: status.readyReplicas: Expected value: 3",
                  location: { file, line: 45, col: 17 },
                  subject: "apps/v1/Deployment ns/web",
                  diff: "--- expected\n+++ actual\n@@ -3,4 +3,4 @@\n metadata:\n   name: web\n status:\n-  readyReplicas: 3\n+  readyReplicas: 1\n",
                },
              }
            : {}),
        };
      },
    );
    return {
      name,
      location: { file, line: 8 + s * 10, col: 7 },
      status: operations.some((op) => op.status === "failed") ? "failed" : "passed",
      durationMs: operations.reduce((sum, op) => sum + op.durationMs, 0),
      operations,
    };
  });
}

/** Diagnostics files of a failed attempt, written like collectDiagnostics writes them. */
async function diagnostics(dir: string, i: number): Promise<Attachment[]> {
  await mkdir(join(dir, "objects"), { recursive: true });
  await mkdir(join(dir, "logs"), { recursive: true });
  const files: [string, Attachment["contentType"], string][] = [
    ["failure.txt", "text/plain", "e2e:45:17: Deployment ns/web did not match\n"],
    [
      "objects/Deployment-ns-web.yaml",
      "application/yaml",
      "apiVersion: apps/v1\nkind: Deployment\n".repeat(40),
    ],
    ["objects/Pod-ns-web-1.yaml", "application/yaml", "apiVersion: v1\nkind: Pod\nstatus: {}\n".repeat(60)],
    ["events.txt", "text/plain", "2026-01-01T00:00:00Z  Normal  Scheduled  Pod/web-1  assigned\n".repeat(30)],
    ["logs/web-1_web.log", "text/plain", `${"GET /healthz 200 1ms\n".repeat(i % 5 === 0 ? 8000 : 300)}`],
  ];
  const out: Attachment[] = [];
  for (const [name, contentType, text] of files) {
    const path = join(dir, name);
    await writeFile(path, text);
    out.push({ name, path, contentType, ...(text.length <= 4096 ? { body: text } : {}) });
  }
  return out;
}

async function resultSet(n: number, artifacts: string): Promise<[TestInfo, TestResult][]> {
  const out: [TestInfo, TestResult][] = [];
  for (let i = 0; i < n; i++) {
    const test = info(i);
    const kind = i % 20 === 7 ? "failed" : i % 20 === 13 ? "flaky" : i % 20 === 19 ? "skipped" : "passed";
    const attempt = async (failed: boolean, k: number): Promise<TestAttempt> => {
      const s = steps(test.location.file, failed);
      const dir = join(artifacts, `${test.name}-${k}`);
      return {
        status: failed ? "failed" : "passed",
        durationMs: s.reduce((sum, step) => sum + step.durationMs, 0) + 300,
        namespace: `kp-${test.name}-${k}`,
        steps: s,
        ...(failed
          ? { artifactsDir: dir, attachments: await diagnostics(dir, i), error: s[2]?.operations[2]?.error }
          : {}),
      };
    };
    let result: TestResult;
    if (kind === "skipped")
      result = { status: "skipped", durationMs: 0, attempts: [], skipReason: "skip: true" };
    else {
      const attempts =
        kind === "failed"
          ? [await attempt(true, 1)]
          : kind === "flaky"
            ? [await attempt(true, 1), await attempt(false, 2)]
            : [await attempt(false, 1)];
      result = { status: kind, durationMs: attempts.reduce((s, a) => s + a.durationMs, 0), attempts };
    }
    out.push([test, result]);
  }
  return out;
}

async function measure(n: number): Promise<{ ms: number; kb: number }> {
  const root = await mkdtemp(join(tmpdir(), "kp-bench-report-"));
  try {
    const reportDir = join(root, "report");
    const set = await resultSet(n, join(reportDir, "artifacts"));
    const run: RunInfo = {
      rootDir: root,
      cluster: { kind: "local", context: "kubeproof", server: "https://127.0.0.1:6443", version: "v1.36.3" },
      workers: 4,
      startedAt: new Date().toISOString(),
      artifactsDir: join(reportDir, "artifacts"),
      reportDir,
      runId: "bench",
    };
    const times: number[] = [];
    let bytes = 0;
    for (let r = 0; r < runs; r++) {
      const reporter = new HtmlReporter({ reportDir, commandLine: "kubeproof test e2e --reporter html" });
      reporter.onBegin(
        run,
        set.map(([t]) => t),
      );
      for (const [test, result] of set) {
        reporter.onTestBegin(test);
        reporter.onTestEnd(test, result);
      }
      const counts = { passed: 0, failed: 0, flaky: 0, skipped: 0, interrupted: 0 };
      for (const [, result] of set) counts[result.status]++;
      const started = performance.now();
      await reporter.onEnd({ status: "failed", durationMs: 60_000, counts });
      times.push(performance.now() - started);
      bytes = (await stat(reporter.outputFile)).size;
    }
    return { ms: median(times), kb: Math.round(bytes / 1024) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const small = await measure(50);
console.log(`50 tests: ${small.ms} ms, ${small.kb} KiB (median of ${runs})`);
const large = await measure(500);
console.log(`500 tests: ${large.ms} ms, ${large.kb} KiB (median of ${runs})`);
console.log(`ms50=${small.ms} kb50=${small.kb} ms500=${large.ms} kb500=${large.kb}`);
