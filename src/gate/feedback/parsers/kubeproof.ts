import type { Finding } from "../types.ts";
import { clip, parserOf, testFailure } from "./common.ts";

/**
 * kubeproof's own JSON report (`kubeproof test --reporter json`), which is CTRF
 * (https://ctrf.io): `{ results: { tool: { name }, summary, tests: [{ name, status, duration,
 * message?, trace?, filePath?, line?, suite?, extra? }] } }`. CTRF statuses are passed, failed,
 * skipped, pending and other; `flaky: true` marks a test that passed on a retry, which is not a
 * failure. Any CTRF producer works; the framework is the report's tool name.
 *
 * The output may be the report alone or a log with the report somewhere in it.
 */

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isReport(value: unknown): value is { results: Json & { tests: unknown[] } } {
  return isObject(value) && isObject(value.results) && Array.isArray(value.results.tests);
}

/** The end of the JSON value starting at `start` (a `{`), honouring strings; -1 if unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

/**
 * The first CTRF report in the text: the whole text, or a `{` at a line start balanced to its `}`.
 * Each candidate is skipped as a whole when it is not a report, so JSON log lines cost one pass.
 */
export function findReport(
  text: string,
): { report: { results: Json & { tests: unknown[] } }; offset: number } | undefined {
  const tryParse = (slice: string): unknown => {
    try {
      return JSON.parse(slice) as unknown;
    } catch {
      return undefined;
    }
  };
  const whole = tryParse(text.trim());
  if (isReport(whole)) return { report: whole, offset: text.indexOf("{") };
  const last = text.lastIndexOf('"results"');
  // The next `"results"` after the candidate: a candidate ending before it cannot be a report.
  let results = -1;
  const starts = /^[ \t]*\{/gm;
  for (let m = starts.exec(text); m && m.index < last; m = starts.exec(text)) {
    const start = m.index + m[0].length - 1;
    const end = matchingBrace(text, start);
    // Unbalanced to the end of the text: a cut-off value, and everything after it is inside it.
    if (end < 0) break;
    if (results < start) results = text.indexOf('"results"', start);
    const value = results < end ? tryParse(text.slice(start, end + 1)) : undefined;
    if (isReport(value)) return { report: value, offset: start };
    starts.lastIndex = end + 1;
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function scanKubeproof(text: string): Finding[] {
  const found = findReport(text);
  if (!found) return [];
  const { results } = found.report;
  const framework = (isObject(results.tool) ? str(results.tool.name) : undefined) ?? "ctrf";
  const findings: Finding[] = [];
  results.tests.forEach((test, index) => {
    if (!isObject(test) || test.status !== "failed") return;
    const trace = str(test.trace);
    const message = str(test.message) ?? trace?.split("\n")[0] ?? "";
    const failure = testFailure({
      name: str(test.name) ?? `test #${index + 1}`,
      file: str(test.filePath),
      line: positive(test.line),
      message: clip(message),
      framework,
    });
    // Tests in one report share the report's position; index keeps their order.
    findings.push({ kind: "test", offset: found.offset + index / (results.tests.length + 1), failure });
  });
  return findings;
}

export const parse = parserOf(scanKubeproof);
