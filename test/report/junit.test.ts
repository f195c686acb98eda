import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { TestInfo, TestResult } from "../../src/model/result.ts";
import type { Entry } from "../../src/report/collect.ts";
import { buildJUnitXml, JUnitReporter } from "../../src/report/junit.ts";
import { cdata, escapeAttr, escapeText } from "../../src/report/xml.ts";
import { FakeClock, drive, passing, run, tests } from "./events.ts";
import { findAll, parseXml } from "./xml-check.ts";

const FIXTURE = new URL("../fixtures/report/junit.xml", import.meta.url);

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubeproof-junit-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("JUnitReporter", () => {
  it("writes <reportDir>/junit.xml: one suite per file, failures in full, flaky passing with system-out", async () => {
    const clock = new FakeClock();
    const reporter = new JUnitReporter({ reportDir: join(dir, "run"), now: clock.now });
    await drive(reporter, clock);
    assert.equal(reporter.outputFile, join(dir, "run", "junit.xml"));
    const xml = await readFile(reporter.outputFile, "utf8");
    assert.equal(xml, await readFile(FIXTURE, "utf8"));

    const root = parseXml(xml);
    assert.deepEqual(root.attrs, {
      name: "kubeproof",
      tests: "4",
      failures: "1",
      skipped: "1",
      errors: "0",
      time: "33.500",
    });
    const suites = findAll(root, "testsuite");
    assert.deepEqual(
      suites.map((s) => s.attrs.name),
      tests.map((t) => t.location.file),
    );
    const cases = findAll(root, "testcase");
    assert.deepEqual(
      cases.map((c) => [c.attrs.name, c.attrs.classname, c.attrs.time]),
      [
        ["configmap-roundtrip", "e2e/configmap/chainsaw-test.yaml", "1.234"],
        ["widget-scales-out", "e2e/widget/chainsaw-test.yaml", "30.021"],
        ["metrics-endpoint", "e2e/metrics/chainsaw-test.yaml", "2.210"],
        ["upgrade-from-v1", "e2e/upgrade/chainsaw-test.yaml", "0.000"],
      ],
    );
    const [failure] = findAll(cases[1], "failure");
    assert.equal(failure?.attrs.message, ".status.readyReplicas: expected 3, got 1");
    assert.equal(failure?.attrs.type, "assert");
    assert.match(failure?.text ?? "", /^step scale › assert at e2e\/widget\/chainsaw-test.yaml:27:7$/m);
    assert.match(failure?.text ?? "", /^ {2}- {2}readyReplicas: 3$/m);
    assert.equal(findAll(cases[2], "failure").length, 0, "a flaky test passes");
    assert.match(findAll(cases[2], "system-out")[0]?.text ?? "", /^flaky: attempt 1 of 2 failed/);
    assert.equal(findAll(cases[3], "skipped")[0]?.attrs.message, "requires --upgrade");
  });

  it("writes to outputFile when given", async () => {
    const clock = new FakeClock();
    const reporter = new JUnitReporter({
      reportDir: dir,
      outputFile: join(dir, "nested", "out.xml"),
      now: clock.now,
    });
    await drive(reporter, clock);
    parseXml(await readFile(join(dir, "nested", "out.xml"), "utf8"));
  });
});

describe("buildJUnitXml", () => {
  const nasty = "a<b> & \"c\" 'd' ]]> \x1b[31mred\x1b[0m \x07bell\x00 \uFFFE \uD800 ok";

  it("stays well-formed whatever the names and messages hold, and reads back what it was given", () => {
    const test: TestInfo = {
      ...passing,
      id: `${nasty}.yaml:1`,
      name: nasty,
      location: { file: `${nasty}.yaml`, line: 1, col: 1 },
    };
    const result: TestResult = {
      status: "failed",
      durationMs: 5,
      attempts: [{ status: "failed", durationMs: 5, error: { message: `${nasty}\nsecond line` }, steps: [] }],
    };
    const entries: Entry[] = [{ test, result }];
    const xml = buildJUnitXml(entries, {
      status: "failed",
      durationMs: 5,
      counts: { passed: 0, failed: 1, flaky: 0, skipped: 0, interrupted: 0 },
    });
    const root = parseXml(xml);
    const clean = "a<b> & \"c\" 'd' ]]> red bell   ok";
    const [testcase] = findAll(root, "testcase");
    assert.equal(testcase?.attrs.name, clean);
    assert.equal(findAll(root, "testsuite")[0]?.attrs.name, `${clean}.yaml`);
    const [failure] = findAll(root, "failure");
    assert.equal(failure?.attrs.message, `${clean}\nsecond line`, "newlines in attributes survive as &#10;");
    assert.equal(failure?.text, `${clean}\nsecond line`, "]]> in CDATA is split, not lost");
  });

  it("reports interrupted tests as errors and tests that never started as skipped", () => {
    const [first, second] = tests;
    const entries: Entry[] = [
      {
        test: first,
        result: {
          status: "interrupted",
          durationMs: 100,
          attempts: [{ status: "interrupted", durationMs: 100, steps: [] }],
        },
      },
      {
        test: second,
        notRun: true,
        result: {
          status: "skipped",
          durationMs: 0,
          attempts: [],
          skipReason: "not run: the run was interrupted before this test started",
        },
      },
    ];
    const root = parseXml(
      buildJUnitXml(
        entries,
        {
          status: "interrupted",
          durationMs: 100,
          counts: { passed: 0, failed: 0, flaky: 0, skipped: 0, interrupted: 1 },
        },
        run.startedAt,
      ),
    );
    assert.deepEqual(
      [root.attrs.tests, root.attrs.errors, root.attrs.skipped, root.attrs.failures],
      ["2", "1", "1", "0"],
    );
    assert.equal(findAll(root, "error")[0]?.attrs.type, "interrupted");
    assert.equal(
      findAll(root, "skipped")[0]?.attrs.message,
      "not run: the run was interrupted before this test started",
    );
    assert.equal(findAll(root, "testsuite")[0]?.attrs.timestamp, run.startedAt);
  });

  it("escapes as XML requires", () => {
    assert.equal(escapeAttr(`<a href="x">'&'\n\t`), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&#10;&#9;");
    assert.equal(escapeText("a < b && c > d"), "a &lt; b &amp;&amp; c &gt; d");
    assert.equal(cdata("x]]>y"), "<![CDATA[x]]]]><![CDATA[>y]]>");
    assert.equal(cdata("\x1b[1mbold\x1b[22m\x0b"), "<![CDATA[bold]]>");
  });
});
