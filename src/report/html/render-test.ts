import type { HtmlAttachment, HtmlAttempt, HtmlFailure, HtmlTest } from "./data.ts";
import { badge, duration, esc, pre } from "./page.ts";

/** One test's page: its facts, then every attempt with failure, timeline, steps and files. */
export function renderTestPage(test: HtmlTest): string {
  const labels = Object.entries(test.labels).map(([k, v]) => `${k}=${v}`);
  const facts: [string, string][] = [
    ["id", `<code>${esc(test.id)}</code>`],
    ["location", `<code>${esc(test.location)}</code>`],
    ["duration", duration(test.durationMs)],
    ["attempts", esc(test.attempts.length)],
  ];
  if (labels.length > 0) facts.push(["labels", esc(labels.join(", "))]);
  if (test.skipReason) facts.push(["skipped", esc(test.skipReason)]);
  const flakyNote =
    test.status === "flaky"
      ? `<div class="warning">flaky: ${esc(
          test.attempts
            .filter((a) => a.status !== "passed")
            .map((a) => `attempt ${a.number}`)
            .join(", "),
        )} failed, attempt ${test.attempts.length} passed</div>`
      : "";
  return [
    `<section class="page" id="t${test.index}" data-status="${esc(test.status)}">`,
    `<p><a href="#">← all tests</a></p>`,
    `<h2>${badge(test.status)} ${esc(test.name)}</h2>`,
    `<dl class="facts">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join("")}</dl>`,
    flakyNote,
    ...test.attempts.map((a) => attemptBlock(a, test.attempts.length)),
    `</section>`,
  ].join("\n");
}

function attemptBlock(attempt: HtmlAttempt, total: number): string {
  // Every failed attempt opens (a flaky test shows each failure); a passing one stays folded.
  const open = attempt.explains || attempt.status !== "passed" ? " open" : "";
  const where = [
    attempt.namespace ? `namespace ${attempt.namespace}` : "",
    attempt.artifactsDir ? `artifacts ${attempt.artifactsDir}` : "",
  ].filter(Boolean);
  return [
    `<details class="attempt" data-attempt="${attempt.number}"${open}>`,
    `<summary>${badge(attempt.status)} attempt ${attempt.number} of ${total} · ${duration(attempt.durationMs)}</summary>`,
    where.length > 0 ? `<div class="muted mono">${esc(where.join(" · "))}</div>` : "",
    attempt.failure ? failureBlock(attempt.failure) : "",
    ...attempt.hints.map((h) => `<div class="warning hint">hint: ${esc(h)}</div>`),
    ...attempt.cleanupWarnings.map((w) => `<div class="warning cleanup">cleanup: ${esc(w)}</div>`),
    waterfall(attempt),
    stepsTable(attempt),
    files(attempt.attachments),
    `</details>`,
  ]
    .filter((part) => part !== "")
    .join("\n");
}

function failureBlock(f: HtmlFailure): string {
  const out = [`<div class="failure">`];
  out.push(
    `<div><b>${esc(f.where || "failed")}</b>${f.operationLocation ? ` at <code>${esc(f.operationLocation)}</code>` : ""}</div>`,
  );
  if (f.subject) out.push(`<div class="muted">on ${esc(f.subject)}</div>`);
  out.push(`<div class="message">${esc(f.message)}</div>`);
  if (f.location) out.push(`<div>at <code class="location">${esc(f.location)}</code></div>`);
  if (f.diff) {
    out.push(
      `<pre class="diff">${f.diff.map((l) => `<span class="${l.kind}">${esc(l.text) || " "}</span>`).join("")}</pre>`,
    );
  }
  if (f.more.length > 0) {
    out.push(
      `<div>also:</div><ul>${f.more.map((m) => `<li>${esc(m.message)}${m.location ? ` <code>${esc(m.location)}</code>` : ""}</li>`).join("")}</ul>`,
    );
  }
  if (f.others.length > 0) {
    out.push(
      `<div>other failures:</div><ul>${f.others.map((o) => `<li>${esc(o.where)}: ${esc(o.message)} <code>${esc(o.location)}</code></li>`).join("")}</ul>`,
    );
  }
  if (f.output?.stdout) out.push(`<h3>stdout</h3>`, pre(f.output.stdout, "output"));
  if (f.output?.stderr) out.push(`<h3>stderr</h3>`, pre(f.output.stderr, "output"));
  out.push(`</div>`);
  return out.join("\n");
}

/** Bars on the attempt's time axis: a slow wait or a long deletion stands out at a glance. */
function waterfall(attempt: HtmlAttempt): string {
  if (attempt.timeline.length === 0) return "";
  const end = Math.max(1, ...attempt.timeline.map((b) => b.startMs + b.durationMs));
  const pct = (ms: number): string => `${((ms / end) * 100).toFixed(2)}%`;
  const rows = attempt.timeline.map(
    (b) =>
      `<div class="label" title="${esc(`${b.label} ${b.location}`)}">${esc(b.label)}</div><div class="track"><div class="bar s-${esc(b.status)}" style="left:${pct(b.startMs)};width:${pct(b.durationMs)}"></div></div><div class="dur">${duration(b.durationMs)}</div>`,
  );
  return `<h3>Timeline</h3><div class="wf">${rows.join("")}</div>`;
}

function stepsTable(attempt: HtmlAttempt): string {
  if (attempt.steps.length === 0) return "";
  const rows: string[] = [];
  for (const step of attempt.steps) {
    rows.push(
      `<tr class="step"><td><b>${esc(step.name)}</b></td><td>${badge(step.status)}</td><td class="num">${duration(step.durationMs)}</td><td class="mono">${esc(step.location)}</td></tr>`,
    );
    for (const op of step.operations) {
      const what = `${op.phase === "try" ? "" : `${op.phase} `}${op.type}${op.description ? ` (${op.description})` : ""}`;
      const evals =
        op.evaluations !== undefined
          ? ` · ${op.evaluations} evaluation${op.evaluations === 1 ? "" : "s"}`
          : "";
      rows.push(
        `<tr class="op${op.failing ? " failing" : ""}"><td>${esc(what)}${op.message ? `<div class="muted">${esc(op.message)}</div>` : ""}</td><td>${badge(op.status)}</td><td class="num">${duration(op.durationMs)}${esc(evals)}</td><td class="mono">${esc(op.location)}</td></tr>`,
      );
    }
  }
  return `<h3>Steps</h3><table class="steps"><thead><tr><th>step / operation</th><th>status</th><th class="num">duration</th><th>location</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

const SECTIONS: { kind: HtmlAttachment["kind"]; title: string }[] = [
  { kind: "events", title: "Events" },
  { kind: "log", title: "Pod logs" },
  { kind: "object", title: "Objects" },
  { kind: "diff", title: "Diff file" },
  { kind: "file", title: "Other files" },
];

function files(attachments: readonly HtmlAttachment[]): string {
  const out: string[] = [];
  for (const section of SECTIONS) {
    const list = attachments.filter((a) => a.kind === section.kind);
    if (list.length === 0) continue;
    out.push(`<h3>${esc(section.title)}</h3>`);
    // Events and logs open: they explain most failures; objects are long and stay folded.
    for (const a of list) out.push(fileBlock(a, section.kind === "events" || section.kind === "log"));
  }
  return out.join("\n");
}

function fileBlock(a: HtmlAttachment, open: boolean): string {
  const size = a.size !== undefined ? ` · ${kib(a.size)}` : "";
  const link = a.href ? ` · <a href="${esc(a.href)}">open the whole file</a>` : "";
  const note =
    a.truncated && a.text !== undefined
      ? `<div class="muted">first ${kib(Buffer.byteLength(a.text))} shown</div>`
      : "";
  const body =
    a.text !== undefined
      ? pre(a.text, `file k-${a.kind}`)
      : `<div class="muted">${esc(a.missing ? `not embedded: ${a.missing}` : "not embedded")}</div>`;
  return `<details class="file"${open ? " open" : ""} data-name="${esc(a.name)}"><summary><code>${esc(a.name)}</code><span class="muted">${esc(size)}</span>${link}</summary>${note}${body}</details>`;
}

function kib(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}
