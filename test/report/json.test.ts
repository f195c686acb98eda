import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { scanKubeproof } from "../../src/gate/feedback/parsers/kubeproof.ts";
import type { Entry } from "../../src/report/collect.ts";
import { buildCtrfReport, ctrfTest, JsonReporter, type CtrfReport } from "../../src/report/json.ts";
import { ctrfSchema, validate } from "./ctrf-schema.ts";
import { FakeClock, drive, failing, passing, run } from "./events.ts";

const FIXTURE = new URL("../fixtures/report/report.json", import.meta.url);

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubeproof-json-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function report(): Promise<{ text: string; json: CtrfReport; file: string }> {
  const clock = new FakeClock();
  const reporter = new JsonReporter({ reportDir: join(dir, "run"), now: clock.now, version: "0.1.0" });
  await drive(reporter, clock);
  const text = await readFile(reporter.outputFile, "utf8");
  return { text, json: JSON.parse(text) as CtrfReport, file: reporter.outputFile };
}

describe("JsonReporter", () => {
  it("writes <reportDir>/report.json, a valid CTRF report", async () => {
    const { text, json, file } = await report();
    assert.equal(file, join(dir, "run", "report.json"));
    assert.deepEqual(validate(json, ctrfSchema), []);
    assert.equal(text, `${JSON.stringify(json, null, 2)}\n`);
    assert.deepEqual(json, JSON.parse(await readFile(FIXTURE, "utf8")));
  });

  it("maps statuses: flaky passes with flaky and retries, skipped keeps its reason", async () => {
    const { json } = await report();
    assert.deepEqual(json.results.summary, {
      tests: 4,
      passed: 2,
      failed: 1,
      skipped: 1,
      pending: 0,
      other: 0,
      flaky: 1,
      suites: 4,
      start: Date.parse(run.startedAt),
      stop: Date.parse(run.startedAt) + 32_021,
      duration: 33_500,
    });
    const [pass, fail, flaky, skipped] = json.results.tests;
    assert.deepEqual(
      [pass?.status, fail?.status, flaky?.status, skipped?.status],
      ["passed", "failed", "passed", "skipped"],
    );
    assert.deepEqual([flaky?.flaky, flaky?.retries, flaky?.rawStatus], [true, 1, "flaky"]);
    assert.deepEqual(
      flaky?.retryAttempts?.map((a) => [a.attempt, a.status, a.message]),
      [
        [1, "failed", "script exited with code 7"],
        [2, "passed", undefined],
      ],
    );
    assert.equal(skipped?.message, "requires --upgrade");
    assert.equal(fail?.message, ".status.readyReplicas: expected 3, got 1");
    assert.match(fail?.trace ?? "", /^step scale › assert at e2e\/widget\/chainsaw-test.yaml:27:7\n/);
  });

  it("puts kubeproof's details in extra: id, namespace, artifacts, attempts, step and operation timings", async () => {
    const { json } = await report();
    const fail = json.results.tests[1];
    assert.deepEqual(
      { ...fail.extra, steps: undefined },
      {
        id: failing.id,
        format: "chainsaw",
        namespace: "kp-widget-7f3a",
        artifactsDir: ".kubeproof/artifacts/widget-scales-out",
        failureLocation: "e2e/widget/chainsaw-test.yaml:31:11",
        attempts: 1,
        cleanupWarnings: ["namespace kp-widget-7f3a still terminating: finalizer example.com/block"],
        steps: undefined,
      },
    );
    const assertOp = fail.extra.steps[1]?.operations[1];
    assert.deepEqual(
      { ...assertOp, error: undefined },
      {
        type: "assert",
        phase: "try",
        location: "e2e/widget/chainsaw-test.yaml:27:7",
        status: "failed",
        durationMs: 29_401,
        evaluations: 58,
        error: undefined,
      },
    );
    assert.equal(assertOp?.error?.location, "e2e/widget/chainsaw-test.yaml:31:11");
    assert.equal(json.results.extra.runId, "run-1");
  });

  it("lists errors outside any test, with their location, under results.extra.errors", async () => {
    const clock = new FakeClock();
    const reporter = new JsonReporter({ reportDir: join(dir, "errors"), now: clock.now });
    reporter.onBegin(run, []);
    reporter.onError({
      message: "cleanup: namespace kp-x still terminating",
      location: { file: "e2e/a.yaml", line: 2, col: 1 },
    });
    await reporter.onEnd({
      status: "passed",
      durationMs: 1,
      counts: { passed: 0, failed: 0, skipped: 0, flaky: 0, interrupted: 0 },
    });
    const json = JSON.parse(await readFile(reporter.outputFile, "utf8")) as CtrfReport;
    assert.deepEqual(validate(json, ctrfSchema), []);
    assert.deepEqual(json.results.extra.errors, [
      { message: "cleanup: namespace kp-x still terminating", location: "e2e/a.yaml:2:1" },
    ]);
  });

  it("is read back by the gate's CTRF parser", async () => {
    const { text } = await report();
    const findings = scanKubeproof(text);
    assert.equal(findings.length, 1);
    assert.match(JSON.stringify(findings[0]), /widget-scales-out/);
  });
});

describe("buildCtrfReport", () => {
  it("reports interrupted tests as other and never-started ones as skipped", () => {
    const entries: Entry[] = [
      {
        test: passing,
        result: {
          status: "interrupted",
          durationMs: 10.6,
          attempts: [{ status: "interrupted", durationMs: 10.6, steps: [] }],
        },
      },
      {
        test: failing,
        notRun: true,
        result: { status: "skipped", durationMs: 0, attempts: [], skipReason: "not run" },
      },
    ];
    const json = buildCtrfReport(
      entries,
      {
        status: "interrupted",
        durationMs: 11,
        counts: { passed: 0, failed: 0, flaky: 0, skipped: 0, interrupted: 1 },
      },
      { start: 1, stop: 2, timestamp: "1970-01-01T00:00:00.002Z" },
    );
    assert.deepEqual(validate(json, ctrfSchema), []);
    const [interrupted, notRun] = json.results.tests;
    assert.deepEqual(
      [interrupted?.status, interrupted?.rawStatus, interrupted?.duration],
      ["other", "interrupted", 11],
    );
    assert.deepEqual([notRun?.status, notRun?.extra.notRun], ["skipped", true]);
    assert.deepEqual([json.results.summary.other, json.results.summary.skipped], [1, 1]);
    assert.equal(json.results.extra.status, "interrupted");
  });

  it("carries labels as CTRF labels and leaves out empty ones", () => {
    assert.deepEqual(
      ctrfTest({ test: failing, result: { status: "passed", durationMs: 1, attempts: [] } }).labels,
      { team: "widgets" },
    );
    assert.equal(
      ctrfTest({ test: passing, result: { status: "passed", durationMs: 1, attempts: [] } }).labels,
      undefined,
    );
  });
});
