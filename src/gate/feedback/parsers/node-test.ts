import type { Finding } from "../types.ts";
import {
  dedent,
  dropErrorCode,
  indentOf,
  joinMessage,
  parseJsFrame,
  parserOf,
  pickFrame,
  positiveInt,
  splitLines,
  testFailure,
  type Frame,
  type Line,
} from "./common.ts";

/**
 * `node --test` output, spec reporter and TAP. Locations come from the error's stack (the frame in
 * the test's own file) before the test's declared location: loaders such as tsx report the
 * declaration as `1:203` of the transformed file, while stack frames are source-mapped.
 */

interface NodeFailure {
  name: string;
  leaf: string;
  offset: number;
  message: string;
  frames: Frame[];
  declared?: Frame;
}

/** Tests cancelled because a hook or parent failed: the hook's failure is reported instead. */
const CANCELLED = /test did not finish before its parent and was cancelled/;

function toFinding(f: NodeFailure): Finding {
  const declaredFile = f.declared?.file;
  const frame = pickFrame(f.frames, declaredFile) ?? f.declared;
  return {
    kind: "test",
    offset: f.offset,
    failure: testFailure({
      name: f.name,
      file: frame?.file,
      line: frame?.line,
      message: f.message,
      framework: "node-test",
    }),
  };
}

// ---- spec reporter ----

const SPEC_FAIL = /^(\s*)✖ (.+?)(?: \((?:[\d.]+m?s)\))?\s*$/;
const SPEC_SUITE = /^(\s*)▶ (.+?)\s*$/;
const SPEC_END = /^(\s*)[✔✖▶﹣] (.+?)(?: \((?:[\d.]+m?s)\))\s*$/;
const SPEC_SUMMARY = /^✖ failing tests:\s*$/;
const TEST_AT = /^test at (.+?):(\d+):(\d+)\s*$/;

/** The error printed under a `✖` line: the message, then `at …` frames, then the error's properties. */
function specBody(body: readonly string[]): { message: string; frames: Frame[] } {
  const lines = dedent(body);
  const firstFrame = lines.findIndex((l) => /^\s*at\s/.test(l));
  const head = firstFrame < 0 ? lines : lines.slice(0, firstFrame);
  const frames: Frame[] = [];
  for (const l of firstFrame < 0 ? [] : lines.slice(firstFrame)) {
    if (!/^\s*at\s/.test(l)) break;
    const frame = parseJsFrame(l);
    if (frame) frames.push(frame);
  }
  let message = joinMessage(head.map((l, i) => (i === 0 ? dropErrorCode(l) : l)));
  if (/^'[^\n]*'$/.test(message)) message = message.slice(1, -1);
  return { message, frames };
}

function scanSpec(lines: readonly Line[]): NodeFailure[] {
  const body: NodeFailure[] = [];
  const summary: NodeFailure[] = [];
  const suites: { name: string; indent: number }[] = [];
  let inSummary = false;
  let declared: Frame | undefined;
  for (let i = 0; i < lines.length; i++) {
    const { text, offset } = lines[i];
    if (SPEC_SUMMARY.test(text)) {
      inSummary = true;
      continue;
    }
    const at = TEST_AT.exec(text);
    if (at?.[1]) {
      const line = positiveInt(at[2]);
      declared = line === undefined ? undefined : { file: at[1], line };
      continue;
    }
    const suite = SPEC_SUITE.exec(text);
    if (suite && !SPEC_END.test(text)) {
      suites.push({ name: suite[2] ?? "", indent: suite[1]?.length ?? 0 });
      continue;
    }
    const fail = SPEC_FAIL.exec(text);
    const indent = fail?.[1]?.length ?? indentOf(text);
    const top = suites[suites.length - 1];
    const closing = SPEC_END.exec(text);
    const closes = top !== undefined && top.indent === indent && closing?.[2] === top.name;
    let end = i + 1;
    if (fail) {
      while (end < lines.length) {
        const next = lines[end]?.text ?? "";
        if (next.trim() !== "" && indentOf(next) <= indent) break;
        end++;
      }
    }
    if (closes) suites.pop();
    if (!fail?.[2] || /^\d+ problems?\b/.test(fail[2])) continue;
    const { message, frames } = specBody(lines.slice(i + 1, end).map((l) => l.text));
    i = end - 1;
    // A suite fails when its tests do; only its own error (a failed hook) is news.
    if ((closes && message === "") || CANCELLED.test(message)) continue;
    const leaf = fail[2];
    const parents = inSummary ? [] : suites.filter((s) => s.indent < indent).map((s) => s.name);
    const name = closes || inSummary ? leaf : [...parents, leaf].join(" > ");
    const failure: NodeFailure = { name, leaf, offset, message, frames, ...(declared ? { declared } : {}) };
    (inSummary ? summary : body).push(failure);
    declared = undefined;
  }
  if (body.length === 0) return summary;
  // The summary repeats each failure with where the test is declared: lend that to the body's entry.
  for (const f of body) {
    const twin = summary.find((s) => s.leaf === f.leaf && s.message === f.message);
    if (twin?.declared) f.declared = twin.declared;
  }
  return body;
}

// ---- TAP ----

const TAP_NOT_OK = /^(\s*)not ok \d+ - (.+?)(?:\s+#\s*(?:SKIP|TODO)\b.*)?\s*$/i;
const TAP_SUBTEST = /^(\s*)# Subtest: (.+?)\s*$/;

/** The few keys of the YAML diagnostic block that matter, as strings (block scalars joined). */
function tapDiagnostics(lines: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  const base = lines[0] === undefined ? 0 : indentOf(lines[0]);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (indentOf(line) !== base) continue;
    const m = /^\s*([\w]+):\s?(.*)$/.exec(line);
    if (!m?.[1]) continue;
    const raw = m[2] ?? "";
    if (/^[|>][-+]?$/.test(raw)) {
      const block: string[] = [];
      while (
        i + 1 < lines.length &&
        (indentOf(lines[i + 1] ?? "") > base || (lines[i + 1] ?? "").trim() === "")
      ) {
        block.push(lines[++i] ?? "");
      }
      values.set(m[1], joinMessage(dedent(block)));
    } else if (/^'.*'$/.test(raw)) {
      values.set(m[1], raw.slice(1, -1).replace(/''/g, "'"));
    } else if (/^".*"$/.test(raw)) {
      try {
        values.set(m[1], String(JSON.parse(raw)));
      } catch {
        values.set(m[1], raw.slice(1, -1));
      }
    } else {
      values.set(m[1], raw);
    }
  }
  return values;
}

function scanTap(lines: readonly Line[]): NodeFailure[] {
  const failures: NodeFailure[] = [];
  const path: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { text, offset } = lines[i];
    const sub = TAP_SUBTEST.exec(text);
    if (sub) {
      const depth = Math.floor((sub[1]?.length ?? 0) / 4);
      path.length = depth;
      path.push(sub[2] ?? "");
      continue;
    }
    const m = TAP_NOT_OK.exec(text);
    if (!m?.[2]) continue;
    const depth = Math.floor((m[1]?.length ?? 0) / 4);
    if (lines[i + 1]?.text.trim() !== "---") continue;
    let close = i + 2;
    while (close < lines.length && lines[close]?.text.trim() !== "...") close++;
    const yaml = tapDiagnostics(lines.slice(i + 2, close).map((l) => l.text));
    i = close;
    const kind = yaml.get("failureType") ?? "";
    if (kind === "subtestsFailed" || kind === "cancelledByParent") continue;
    const error = yaml.get("error") ?? "";
    const errorName = yaml.get("name");
    const message = errorName && !error.startsWith(errorName) ? `${errorName}: ${error}` : error;
    const frames = (yaml.get("stack") ?? "").split("\n").flatMap((l) => parseJsFrame(l) ?? []);
    const declared = parseJsFrame(yaml.get("location") ?? "");
    const name = [...path.slice(0, depth), m[2]].join(" > ");
    failures.push({ name, leaf: m[2], offset, message, frames, ...(declared ? { declared } : {}) });
    path.length = depth;
  }
  return failures;
}

export function scanNodeTest(text: string): Finding[] {
  const lines = splitLines(text);
  return [...scanSpec(lines), ...scanTap(lines)].map(toFinding);
}

export const parse = parserOf(scanNodeTest);
