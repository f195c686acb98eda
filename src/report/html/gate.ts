import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
// Types only: the feedback document's schema lives with the gate (to move into model/ with the gate's
// event types); the page needs nothing else of the gate.
import type { CheckFeedback, FeedbackDocument } from "../../model/feedback.ts";
import { gateHeadline } from "../gate.ts";
import { badge, duration, esc, htmlDocument, pre } from "./page.ts";

/**
 * `kubeproof gate --reporter html`: the gate's feedback document as the same kind of page as the test
 * report: the verdict, every tier, and each check with its parsed failures (`file:line`) and the end
 * of its output.
 */

export interface GateHtmlContext {
  generatedAt: string;
  commandLine?: string;
  version?: string;
}

const STATUSES: CheckFeedback["status"][] = ["passed", "failed", "timedOut", "error", "skipped"];

export function renderGateReport(doc: FeedbackDocument, ctx: GateHtmlContext): string {
  const count = (s: CheckFeedback["status"]): number => doc.checks.filter((c) => c.status === s).length;
  const buttons = [
    `<a href="#" data-filter-status="" id="count-all"><b>${doc.checks.length}</b>all</a>`,
    ...STATUSES.map(
      (s) => `<a href="#?s=${s}" data-filter-status="${s}" id="count-${s}"><b>${count(s)}</b>${esc(s)}</a>`,
    ),
  ].join("");
  const facts: [string, string][] = [["generated", esc(ctx.generatedAt)]];
  if (ctx.version) facts.push(["kubeproof", esc(ctx.version)]);
  if (ctx.commandLine) facts.push(["command", `<code id="command-line">${esc(ctx.commandLine)}</code>`]);
  const body = [
    `<header class="top"><h1>kubeproof gate</h1>${badge(doc.verdict)}<span class="muted">${esc(gateHeadline(doc))}</span></header>`,
    `<main><section id="overview">`,
    `<div class="counts">${buttons}</div>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`,
    doc.truncated
      ? `<div class="warning">Some output was shortened to fit the feedback size limit (--max-bytes).</div>`
      : "",
    tiersTable(doc),
    `<h2>Checks</h2>`,
    `<p><input id="q" type="search" placeholder="filter by tier or check" aria-label="filter checks"> <span class="muted"><span id="shown">${doc.checks.length}</span> shown</span></p>`,
    checksTable(doc.checks),
    ...doc.checks.map(checkBlock),
    `</section></main>`,
  ].join("\n");
  return htmlDocument(`kubeproof gate: ${doc.verdict}`, body);
}

/** Writes `<reportDir>/index.html`; returns its path. */
export async function writeGateReport(
  doc: FeedbackDocument,
  reportDir: string,
  ctx: GateHtmlContext,
): Promise<string> {
  await mkdir(reportDir, { recursive: true });
  const file = join(reportDir, "index.html");
  await writeFile(file, renderGateReport(doc, ctx));
  return file;
}

function tiersTable(doc: FeedbackDocument): string {
  const rows = doc.tiers.map(
    (t) =>
      `<tr><td>${esc(t.name)}</td><td>${badge(t.status)}</td><td class="num">${t.checks}</td><td class="num">${t.skipped ? "" : duration(t.durationMs)}</td><td class="muted">${esc(t.skipped ?? "")}</td></tr>`,
  );
  return `<h2>Tiers</h2><table id="tiers"><thead><tr><th>tier</th><th>status</th><th class="num">checks</th><th class="num">duration</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function checksTable(checks: readonly CheckFeedback[]): string {
  const rows = checks.map(
    (c, i) =>
      `<tr data-status="${esc(c.status)}" data-text="${esc(`${c.tier} ${c.name} ${c.command ?? ""}`.toLowerCase())}"><td>${badge(c.status)}</td><td><a href="#c${i}">${esc(`${c.tier} / ${c.name}`)}</a></td><td class="num">${esc(c.exitCode ?? "none")}</td><td class="num">${duration(c.durationMs)}</td></tr>`,
  );
  return `<table id="tests"><thead><tr><th>status</th><th>check</th><th class="num">exit</th><th class="num">duration</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function where(parts: (string | number | undefined)[]): string {
  return parts.filter((p) => p !== undefined).join(":");
}

function checkBlock(c: CheckFeedback, i: number): string {
  const open = c.status !== "passed" && c.status !== "skipped" ? " open" : "";
  const out = [
    `<details class="attempt check" id="c${i}" data-status="${esc(c.status)}"${open}>`,
    `<summary>${badge(c.status)} ${esc(`${c.tier} / ${c.name}`)} · ${duration(c.durationMs)}${c.exitCode !== null ? esc(` · exit ${c.exitCode}`) : ""}${c.timedOut ? " · timed out" : ""}</summary>`,
  ];
  if (c.command !== undefined) out.push(`<div class="muted">command: <code>${esc(c.command)}</code></div>`);
  if (c.skipped !== undefined) out.push(`<div class="muted">skipped: ${esc(c.skipped)}</div>`);
  if (c.error !== undefined)
    out.push(`<div class="failure"><div class="message">${esc(c.error)}</div></div>`);
  const b = c.firstBuildError;
  if (b) {
    const at = where([b.file, b.line, b.col]);
    out.push(
      `<div class="failure"><div><b>first build error</b> (${esc(b.tool)})${at ? ` at <code class="location">${esc(at)}</code>` : ""}</div><div class="message">${esc(b.message)}</div></div>`,
    );
  }
  if (c.failures.length > 0) {
    const items = c.failures.map((f) => {
      const at = f.file !== undefined ? where([f.file, f.line]) : "";
      return `<li>${at ? `<code class="location">${esc(at)}</code> ` : ""}<b>${esc(f.name)}</b> <span class="muted">(${esc(f.framework)})</span>${f.message ? pre(f.message) : ""}</li>`;
    });
    const more = c.omittedFailures > 0 ? `<li class="muted">… and ${c.omittedFailures} more</li>` : "";
    out.push(
      `<h3>Failing tests (${c.failures.length + c.omittedFailures})</h3><ul class="failures">${items.join("")}${more}</ul>`,
    );
  }
  if (c.logExcerpt.trim() !== "") out.push(`<h3>End of the output</h3>`, pre(c.logExcerpt, "output"));
  out.push(`</details>`);
  return out.join("\n");
}
