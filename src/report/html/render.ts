import type { HtmlReportData, HtmlTest } from "./data.ts";
import { badge, duration, esc, htmlDocument } from "./page.ts";
import { renderTestPage } from "./render-test.ts";

/**
 * The test report as one HTML document: the overview (counts, filter, slowest tests, the run's
 * cluster and command line, every test) and one page per test, shown when the hash names it (`#t3`).
 */
export function renderHtmlReport(data: HtmlReportData): string {
  const body = [
    `<header class="top"><h1>${esc(data.title)}</h1>${badge(data.status)}<span class="muted">${esc(
      `${data.counts.total} tests in ${duration(data.durationMs)} · ${data.generatedAt}${data.version ? ` · kubeproof ${data.version}` : ""}`,
    )}</span></header>`,
    "<main>",
    overview(data),
    ...data.tests.map((t) => renderTestPage(t)),
    "</main>",
  ].join("\n");
  return htmlDocument(data.title, body);
}

const STATUS_BUTTONS: { status: string; label: string; count: (d: HtmlReportData) => number }[] = [
  { status: "", label: "all", count: (d) => d.counts.total },
  { status: "passed", label: "passed", count: (d) => d.counts.passed },
  { status: "failed", label: "failed", count: (d) => d.counts.failed },
  { status: "flaky", label: "flaky", count: (d) => d.counts.flaky },
  { status: "skipped", label: "skipped", count: (d) => d.counts.skipped },
];

function overview(data: HtmlReportData): string {
  // Interrupted only appears when a run was interrupted; the other four always show, zero included.
  const interrupted =
    data.counts.interrupted > 0
      ? [{ status: "interrupted", label: "interrupted", count: (d: HtmlReportData) => d.counts.interrupted }]
      : [];
  const counts = [...STATUS_BUTTONS, ...interrupted]
    .map(
      (b) =>
        `<a href="${b.status ? `#?s=${esc(b.status)}` : "#"}" data-filter-status="${esc(b.status)}" id="count-${esc(b.label)}"><b>${b.count(data)}</b>${esc(b.label)}</a>`,
    )
    .join("");
  return [
    `<section id="overview">`,
    `<div class="counts">${counts}</div>`,
    runFacts(data),
    ...data.errors.map(
      (e) =>
        `<div class="warning">${esc(e.message)}${e.location ? ` <code>${esc(e.location)}</code>` : ""}</div>`,
    ),
    `<p><input id="q" type="search" placeholder="filter by name, file or label" aria-label="filter tests"> <span class="muted"><span id="shown">${data.tests.length}</span> shown</span></p>`,
    testTable(data.tests),
    slowest(data),
    `</section>`,
  ].join("\n");
}

function runFacts(data: HtmlReportData): string {
  const facts: [string, string][] = [];
  const run = data.run;
  if (run) {
    const c = run.cluster;
    facts.push(["cluster", `${esc(c.context)} <span class="muted">(${esc(c.kind)})</span>`]);
    facts.push(["server", `<code>${esc(c.server)}</code>`]);
    if (c.version) facts.push(["version", esc(c.version)]);
    if (c.nodes) {
      const ready = c.nodes.filter((n) => n.ready).length;
      facts.push([
        "nodes",
        `${c.nodes.length} (${ready} ready): ${c.nodes.map((n) => esc(n.name)).join(", ")}`,
      ]);
    }
    facts.push(["workers", esc(run.workers)]);
    if (run.shard) facts.push(["shard", esc(`${run.shard.index}/${run.shard.total}`)]);
    facts.push(["started", esc(run.startedAt)]);
    facts.push(["root", `<code>${esc(run.rootDir)}</code>`]);
  }
  if (data.commandLine) facts.push(["command", `<code id="command-line">${esc(data.commandLine)}</code>`]);
  if (facts.length === 0) return "";
  return `<dl class="facts" id="run-facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`;
}

function testTable(tests: readonly HtmlTest[]): string {
  const rows = tests.map(
    (t) =>
      `<tr data-status="${esc(t.status)}" data-text="${esc(t.searchText)}"><td>${badge(t.status)}</td><td><a href="#t${t.index}">${esc(t.name)}</a><div class="muted mono">${esc(t.location)}${Object.entries(
        t.labels,
      )
        .map(([k, v]) => ` · ${esc(k)}=${esc(v)}`)
        .join(
          "",
        )}</div>${t.summary ? `<div class="muted">${esc(t.summary)}</div>` : ""}</td><td class="num">${t.attempts.length > 1 ? esc(`${t.attempts.length} attempts`) : ""}</td><td class="num">${t.attempts.length > 0 ? duration(t.durationMs) : ""}</td></tr>`,
  );
  return `<table id="tests"><thead><tr><th>status</th><th>test</th><th class="num">attempts</th><th class="num">duration</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

function slowest(data: HtmlReportData): string {
  if (data.slowest.length === 0) return "";
  const rows = data.slowest.map(
    (s) =>
      `<tr><td>${badge(s.status)}</td><td><a href="#t${s.index}">${esc(s.title)}</a></td><td class="num">${duration(s.durationMs)}</td></tr>`,
  );
  return `<h2>Slowest tests</h2><table id="slowest"><tbody>${rows.join("")}</tbody></table>`;
}
