import { createHash } from "node:crypto";
import { formatDuration } from "../../source/duration.ts";
import { CLIENT_SCRIPT } from "./client.ts";

/**
 * The page's frame, shared by the test report and the gate's: escaping, styles, the script. Every
 * string that comes from a run (names, messages, logs, object values) goes through `esc`, in text and
 * in attribute values alike; nothing from a run is ever placed inside a script or a style.
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function esc(text: string | number | undefined): string {
  return String(text ?? "").replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** `1m30.4s`, `250ms`: the project's one duration format, as the other reporters show timings. */
export function duration(ms: number): string {
  return formatDuration(Math.max(0, ms), { decimals: 1 });
}

/** A status word as a coloured badge; `status` is one of kubeproof's status words, never run data. */
export function badge(status: string, label: string = status): string {
  return `<span class="badge s-${esc(status)}">${esc(label)}</span>`;
}

/** A `<pre>` block of text, its lines left as they are. */
export function pre(text: string, cls = ""): string {
  return `<pre${cls ? ` class="${esc(cls)}"` : ""}>${esc(text)}</pre>`;
}

const STYLE = `
:root{--fg:#1f2328;--muted:#656d76;--bg:#fff;--panel:#f6f8fa;--line:#d0d7de;--pass:#1a7f37;--fail:#cf222e;--flaky:#9a6700;--skip:#8c959f;--info:#0969da}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header.top{padding:12px 24px;border-bottom:1px solid var(--line);display:flex;gap:16px;align-items:baseline;flex-wrap:wrap}
header.top h1{font-size:18px;margin:0}
main{padding:16px 24px;max-width:1200px}
a{color:var(--info);text-decoration:none}a:hover{text-decoration:underline}
code,pre,.mono{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px 10px;overflow:auto;max-height:480px;white-space:pre-wrap;word-break:break-word}
.muted{color:var(--muted)}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff;background:var(--skip)}
.s-passed,.s-PASS{background:var(--pass)}.s-failed,.s-FAIL,.s-error,.s-ERROR{background:var(--fail)}
.s-flaky,.s-timedOut,.s-TIMEOUT,.s-interrupted{background:var(--flaky)}.s-skipped{background:var(--skip)}
.counts{display:flex;gap:8px;flex-wrap:wrap;margin:8px 0 16px}
.counts a{border:1px solid var(--line);border-radius:6px;padding:6px 12px;color:var(--fg)}
.counts a[aria-pressed=true]{border-color:var(--info);box-shadow:0 0 0 1px var(--info)}
.counts b{font-size:18px;margin-right:4px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px}
td.num,th.num{text-align:right;white-space:nowrap}
input#q{width:100%;max-width:480px;padding:6px 10px;border:1px solid var(--line);border-radius:6px;font:inherit}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:8px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
section.page{display:none}section.page:target{display:block}
body:has(section.page:target) #overview{display:none}
.attempt{border:1px solid var(--line);border-radius:6px;margin:12px 0;padding:0 12px 12px}
.attempt>summary{cursor:pointer;padding:10px 0;font-weight:600}
.failure{border-left:4px solid var(--fail);padding:4px 12px;margin:8px 0;background:#fff8f8}
.failure .message{color:var(--fail);white-space:pre-wrap;font-weight:600}
.warning{border-left:4px solid var(--flaky);padding:4px 12px;margin:8px 0;background:#fffbea}
.diff .header{color:var(--muted)}.diff .added{color:var(--pass);background:#e6ffec}.diff .removed{color:var(--fail);background:#ffebe9}.diff .hunk{color:#1b7c83}
.diff span{display:block}
.wf{display:grid;grid-template-columns:minmax(180px,32%) 1fr 72px;gap:2px 8px;align-items:center;margin:8px 0}
.wf .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:12px}
.wf .track{position:relative;height:14px;background:var(--panel);border-radius:3px}
.wf .bar{position:absolute;top:0;bottom:0;min-width:2px;border-radius:3px;background:var(--pass)}
.wf .bar.s-failed{background:var(--fail)}.wf .bar.s-interrupted{background:var(--flaky)}.wf .bar.s-skipped{background:var(--skip)}
.wf .dur{font-size:12px;text-align:right;color:var(--muted)}
tr.op td:first-child{padding-left:24px}
tr.failing td{background:#fff8f8}
details.file{margin:6px 0}details.file>summary{cursor:pointer}
h2{font-size:16px;margin:20px 0 8px}h3{font-size:14px;margin:16px 0 6px}
`;

// Only the page's own script may run: an injected <script> would be inert even if escaping missed it.
const SCRIPT_HASH = createHash("sha256").update(CLIENT_SCRIPT).digest("base64");

/** The whole document around `body`. */
export function htmlDocument(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${SCRIPT_HASH}'; img-src data:">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}
