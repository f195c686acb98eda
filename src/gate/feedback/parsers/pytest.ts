import type { Finding } from "../types.ts";
import { buildError, dedent, joinMessage, parserOf, positiveInt, splitLines, testFailure } from "./common.ts";

/**
 * pytest. The short summary (`FAILED tests/test_x.py::test_y - AssertionError: …`) names every
 * failure, but cuts its message to the terminal width; the failure sections above it carry the full
 * `E   …` lines and the `tests/test_x.py:12: AssertionError` locations. Collection errors
 * (`ERROR collecting tests/test_x.py`) are build errors: nothing in that file ran.
 */

const BANNER = /^={3,} (.+?) ={3,}$/;
const SECTION = /^_{3,} (.+?) _{3,}$/;
const LOCATION = /^(?:file )?(\S+\.py)(?::|, line )(\d+)(?::(?: .*)?)?$/;
const FILE_LINE = /File "([^"]+\.py)", line (\d+)/;
const SUMMARY = /^(FAILED|ERROR) (\S+?)(?: - (.*))?\s*$/;

interface Section {
  title: string;
  offset: number;
  lines: string[];
}

/** `TestLimits.test_dict` → `TestLimits::test_dict`, leaving dots inside `[params]` alone. */
function titleToNodeName(title: string): string {
  const bracket = title.indexOf("[");
  const head = bracket < 0 ? title : title.slice(0, bracket);
  return head.replace(/\./g, "::") + (bracket < 0 ? "" : title.slice(bracket));
}

/** The test a section is about; setup and teardown errors say so in the title. */
function sectionName(title: string): string {
  return titleToNodeName(title.replace(/^ERROR at \w+ of /, ""));
}

function isTestFile(file: string): boolean {
  return /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(file);
}

/** The `E` lines, the locations, and where in `file` (or the last test file) it failed. */
function readSection(
  lines: readonly string[],
  file: string | undefined,
): { message: string; file?: string; line?: number } {
  const errors = lines.filter((l) => /^E(\s|$)/.test(l)).map((l) => l.slice(1));
  const locations = lines.flatMap((l) => {
    const m = LOCATION.exec(l);
    const line = positiveInt(m?.[2]);
    return m?.[1] && line !== undefined ? [{ file: m[1], line }] : [];
  });
  for (const l of errors) {
    const m = FILE_LINE.exec(l);
    const line = positiveInt(m?.[2]);
    if (m?.[1] && line !== undefined) locations.push({ file: m[1], line });
  }
  const own =
    file === undefined
      ? locations.filter((l) => isTestFile(l.file))
      : locations.filter((l) => l.file === file);
  const where = own[own.length - 1] ?? locations.find((l) => !l.file.startsWith("/"));
  const firstText = lines.find((l) => l.trim() !== "" && !/^_ _/.test(l))?.trim() ?? "";
  const message = errors.length > 0 ? joinMessage(dedent(errors)) : firstText;
  return { message, ...(where ? { file: where.file, line: where.line } : {}) };
}

export function scanPytest(text: string): Finding[] {
  const lines = splitLines(text);
  const sections: Section[] = [];
  const summary: { kind: string; nodeid: string; message: string; offset: number }[] = [];
  let inReport = false;
  for (let i = 0; i < lines.length; i++) {
    const { text: line, offset } = lines[i];
    const banner = BANNER.exec(line);
    if (banner) {
      inReport = /^(FAILURES|ERRORS)$/.test(banner[1] ?? "");
      continue;
    }
    const section = inReport ? SECTION.exec(line) : null;
    if (section?.[1]) {
      sections.push({ title: section[1], offset, lines: [] });
      continue;
    }
    if (inReport) {
      sections[sections.length - 1]?.lines.push(line);
      continue;
    }
    const s = SUMMARY.exec(line);
    if (s?.[2] && (s[2].includes("::") || s[2].endsWith(".py"))) {
      summary.push({ kind: s[1] ?? "", nodeid: s[2], message: s[3] ?? "", offset });
    }
  }

  const findings: Finding[] = [];
  const used = new Set<Section>();
  for (const entry of summary) {
    const [file = "", ...rest] = entry.nodeid.split("::");
    if (rest.length === 0) {
      const sec = sections.find((x) => x.title === `ERROR collecting ${file}`);
      if (sec) used.add(sec);
      const found = sec ? readSection(sec.lines, file) : { message: entry.message || "collection failed" };
      const error = buildError({ file, line: found.line, message: found.message, tool: "pytest" });
      findings.push({ kind: "build", offset: sec?.offset ?? entry.offset, error });
      continue;
    }
    const name = rest.join("::");
    const sec = sections.find((x) => !used.has(x) && sectionName(x.title) === name);
    if (sec) used.add(sec);
    const found = sec ? readSection(sec.lines, file) : { message: entry.message };
    const failure = testFailure({
      name,
      file: found.file ?? file,
      line: found.line,
      message: found.message || entry.message,
      framework: "pytest",
    });
    findings.push({ kind: "test", offset: sec?.offset ?? entry.offset, failure });
  }
  // Sections without a summary line: `-rN`, or the summary fell outside the captured log.
  for (const sec of sections) {
    if (used.has(sec)) continue;
    const collecting = /^ERROR collecting (\S+)$/.exec(sec.title);
    if (collecting?.[1]) {
      const found = readSection(sec.lines, collecting[1]);
      const error = buildError({
        file: collecting[1],
        line: found.line,
        message: found.message,
        tool: "pytest",
      });
      findings.push({ kind: "build", offset: sec.offset, error });
      continue;
    }
    const found = readSection(sec.lines, undefined);
    const name = sectionName(sec.title);
    const failure = testFailure({
      name,
      file: found.file,
      line: found.line,
      message: found.message,
      framework: "pytest",
    });
    findings.push({ kind: "test", offset: sec.offset, failure });
  }
  return findings;
}

export const parse = parserOf(scanPytest);
