import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runInNewContext } from "node:vm";
import type { Attachment, TestResult } from "../../src/model/result.ts";
import { FILTER_SOURCE } from "../../src/report/html/client.ts";
import { buildHtmlReport, eventsInTimeOrder, type HtmlReportData } from "../../src/report/html/data.ts";
import { renderHtmlReport } from "../../src/report/html/render.ts";
import { HtmlReporter } from "../../src/report/html/reporter.ts";
import { esc } from "../../src/report/html/page.ts";
import type { Entry } from "../../src/report/collect.ts";
import {
  FakeClock,
  drive,
  failing,
  failingResult,
  flaky,
  flakyResult,
  passing,
  passingResult,
  run,
  runResult,
  skipped,
  skippedResult,
} from "./events.ts";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubeproof-html-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const INJECTED_LOG = `GET / 200\n<script>document.title="pwned"</script>\n<img src=x onerror="document.title='pwned'">\n`;
const INJECTED_NAME = `bad"><script>alert(1)</script>`;

function entries(result: TestResult = failingResult): Entry[] {
  return [
    { test: passing, result: passingResult },
    { test: failing, result },
    { test: flaky, result: flakyResult },
    { test: skipped, result: skippedResult },
  ];
}

/** The failing test's result with other files on its attempt. */
function failedWith(attachments: Attachment[]): TestResult {
  const attempt = failingResult.attempts[0];
  return { ...failingResult, attempts: [{ ...attempt, attachments }] };
}

function data(list = entries()): HtmlReportData {
  return buildHtmlReport(list, runResult, { generatedAt: "2026-01-02T03:05:00.000Z", run });
}

type Filter = { statuses: string[]; words: string[] };
/** The filter exactly as the page's script has it, evaluated outside a browser. */
const filter = runInNewContext(
  `${FILTER_SOURCE}; ({ parse: kpParseFilter, format: kpFormatFilter, matches: kpMatches })`,
  {
    URLSearchParams,
  },
) as {
  parse(hash: string): Filter;
  format(filter: Filter): string;
  matches(test: { status: string; text: string }, filter: Filter): boolean;
};

describe("the HTML report's data", () => {
  it("counts tests by status: passed, failed, flaky, skipped", () => {
    assert.deepEqual(data().counts, { total: 4, passed: 1, failed: 1, flaky: 1, skipped: 1, interrupted: 0 });
  });

  it("keeps the failed test's message, failing key file:line:col, diff lines and subject", () => {
    const test = data().tests[1];
    assert.equal(test?.status, "failed");
    const failure = test?.attempts[0]?.failure;
    assert.ok(failure);
    assert.equal(failure.location, "e2e/widget/chainsaw-test.yaml:31:11");
    assert.equal(failure.operationLocation, "e2e/widget/chainsaw-test.yaml:27:7");
    assert.equal(failure.where, "step scale › assert");
    assert.equal(failure.subject, "example.com/v1/Widget kp-widget-7f3a/big");
    assert.deepEqual(
      failure.diff?.filter((l) => l.kind === "added" || l.kind === "removed"),
      [
        { kind: "removed", text: "-  readyReplicas: 3" },
        { kind: "added", text: "+  readyReplicas: 1" },
      ],
    );
    assert.equal(
      test?.attempts[0]?.cleanupWarnings[0],
      "namespace kp-widget-7f3a still terminating: finalizer example.com/block",
    );
  });

  it("lays operations out on the attempt's time axis in the order they ran", () => {
    const bars = data().tests[1]?.attempts[0]?.timeline ?? [];
    assert.deepEqual(
      bars.map((b) => [b.label, b.startMs, b.durationMs, b.status]),
      [
        ["deploy › apply", 0, 500, "passed"],
        ["scale › patch", 500, 120, "passed"],
        ["scale › assert", 620, 29_401, "failed"],
        ["scale › catch podLogs", 30_021, 0, "passed"],
      ],
    );
  });

  it("shows each failed attempt of a flaky test and opens the one that explains it", () => {
    const test = data().tests[2];
    assert.deepEqual(
      test?.attempts.map((a) => [a.number, a.status, a.explains, a.failure?.message]),
      [
        [1, "failed", true, "script exited with code 7"],
        [2, "passed", false, undefined],
      ],
    );
    assert.equal(test?.attempts[0]?.failure?.output?.stderr, "curl: (7) Failed to connect\n");
  });

  it("lists the slowest tests that ran, slowest first, without the skipped one", () => {
    assert.deepEqual(
      data().slowest.map((s) => s.title),
      [
        "e2e/widget/chainsaw-test.yaml:3 › widget-scales-out",
        "e2e/metrics/chainsaw-test.yaml:2 › metrics-endpoint",
        "e2e/configmap/chainsaw-test.yaml:4 › configmap-roundtrip",
      ],
    );
  });

  it("orders events by time", () => {
    const text = [
      "2026-01-02T03:04:09Z  Normal  Started  Pod/web  started",
      "2026-01-02T03:04:06Z  Normal  Scheduled  Pod/web  assigned",
      "(no time)",
      "2026-01-02T03:04:07Z  Normal  Pulled  Pod/web  pulled",
    ].join("\n");
    assert.deepEqual(
      eventsInTimeOrder(text)
        .trimEnd()
        .split("\n")
        .map((l) => l.split(/\s+/)[2] ?? l),
      ["Scheduled", "Pulled", "Started", "(no time)"],
    );
  });
});

describe("the page's filter (the inline script's own code)", () => {
  const rows = data().tests.map((t) => ({ status: t.status, text: t.searchText, name: t.name }));
  const shown = (hash: string): string[] =>
    rows.filter((r) => filter.matches(r, filter.parse(hash))).map((r) => r.name);

  it("filters by status, by text, and by both; no filter shows everything", () => {
    assert.equal(shown("").length, 4);
    assert.deepEqual(shown("#?s=failed"), ["widget-scales-out"]);
    assert.deepEqual(shown("#?s=failed,flaky"), ["widget-scales-out", "metrics-endpoint"]);
    assert.deepEqual(shown("#?q=METRICS"), ["metrics-endpoint"]);
    assert.deepEqual(shown("#?q=team%3Dwidgets"), ["widget-scales-out"]);
    assert.deepEqual(shown("#?s=passed&q=widget"), []);
    assert.deepEqual(shown("#?q=e2e+roundtrip"), ["configmap-roundtrip"]);
  });

  it("writes the filter back into the hash it parses", () => {
    const f = { statuses: ["failed"], words: ["web", "scale"] };
    // Through JSON: the filter's arrays come from the script's own realm.
    assert.deepEqual(JSON.parse(JSON.stringify(filter.parse(filter.format(f)))), f);
    assert.equal(filter.format({ statuses: [], words: [] }), "#");
  });
});

describe("HtmlReporter", () => {
  it("writes one self-contained <reportDir>/index.html: counts, diff, file:line:col, no network", async () => {
    const clock = new FakeClock();
    const reporter = new HtmlReporter({
      reportDir: join(dir, "run"),
      now: clock.now,
      commandLine: "kubeproof test e2e",
    });
    await drive(reporter, clock);
    assert.equal(reporter.outputFile, join(dir, "run", "index.html"));
    const html = await readFile(reporter.outputFile, "utf8");
    assert.match(html, /id="count-failed"><b>1<\/b>failed/);
    assert.match(html, /id="count-flaky"><b>1<\/b>flaky/);
    assert.match(html, /id="count-skipped"><b>1<\/b>skipped/);
    assert.match(html, /id="count-passed"><b>1<\/b>passed/);
    assert.match(html, /<code class="location">e2e\/widget\/chainsaw-test\.yaml:31:11<\/code>/);
    assert.match(
      html,
      /<span class="removed">- {2}readyReplicas: 3<\/span><span class="added">\+ {2}readyReplicas: 1<\/span>/,
    );
    assert.match(html, /cleanup: namespace kp-widget-7f3a still terminating/);
    assert.match(html, /<code id="command-line">kubeproof test e2e<\/code>/);
    assert.match(html, /https:\/\/127\.0\.0\.1:6443/);
    // Nothing is fetched: no external script, style, image or font.
    assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/i);
    assert.doesNotMatch(html, /url\(/);
  });

  it("embeds attachments up to the cap and links longer ones beside index.html", async () => {
    const reportDir = join(dir, "caps");
    const artifacts = join(reportDir, "artifacts", "widget");
    await mkdir(join(artifacts, "logs"), { recursive: true });
    const small = join(artifacts, "logs", "small.log");
    const big = join(artifacts, "logs", "big.log");
    const outside = join(dir, "elsewhere.log");
    await writeFile(small, "short log\n");
    await writeFile(big, `${"x".repeat(99)}\n`.repeat(100));
    await writeFile(outside, `${"y".repeat(99)}\n`.repeat(100));
    const result = failedWith([
      { name: "logs/small.log", path: small, contentType: "text/plain" },
      { name: "logs/big.log", path: big, contentType: "text/plain" },
      { name: "logs/outside.log", path: outside, contentType: "text/plain" },
    ]);
    const reporter = new HtmlReporter({ reportDir }, { perFile: 1000, total: 1_000_000 });
    reporter.onBegin(run, [failing]);
    reporter.onTestEnd(failing, result);
    await reporter.onEnd(runResult);
    const html = await readFile(join(reportDir, "index.html"), "utf8");
    assert.match(html, /<pre class="file k-log">short log\n<\/pre>/);
    assert.match(html, /href="artifacts\/widget\/logs\/big\.log">open the whole file/);
    assert.match(html, /href="attachments\/1-outside\.log">open the whole file/);
    assert.equal(
      await readFile(join(reportDir, "attachments", "1-outside.log"), "utf8"),
      await readFile(outside, "utf8"),
    );
    assert.ok(!html.includes("x".repeat(1001)), "the long file is cut at the cap");
  });

  it("renders a pod log with <script> and an attribute injection as inert text", () => {
    const result = failedWith([
      {
        name: "logs/web_web.log",
        path: "/nonexistent/web.log",
        contentType: "text/plain",
        body: INJECTED_LOG,
      },
    ]);
    const list = entries(result);
    list[1] = {
      ...list[1],
      test: { ...failing, name: INJECTED_NAME, labels: { team: `x" onmouseover="alert(1)` } },
    };
    const html = renderHtmlReport(data(list));
    // The only <script> element is the page's own, at the end.
    assert.equal(html.match(/<script/gi)?.length, 1);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /\son\w+="/i, "no event handler attribute outside text");
    assert.match(html, /&lt;script&gt;document\.title=&quot;pwned&quot;&lt;\/script&gt;/);
    assert.match(html, /bad&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /data-text="[^"]*team=x&quot; onmouseover=&quot;alert\(1\)[^"]*"/);
    assert.equal(esc(`<a href="x" title='y'>&`), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;");
  });

  it("keeps the empty report's page small", () => {
    const html = renderHtmlReport(
      buildHtmlReport(
        [],
        { status: "passed", durationMs: 0, counts: runResult.counts },
        { generatedAt: "now" },
      ),
    );
    assert.ok(Buffer.byteLength(html) < 300 * 1024, `${Buffer.byteLength(html)} bytes`);
  });
});
