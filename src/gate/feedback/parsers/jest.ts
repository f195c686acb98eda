import type { Finding } from "../types.ts";
import {
  buildError,
  dedent,
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
import { scanEslint, scanTsc } from "./typescript.ts";

/**
 * Jest and Vitest, plus the tsc and eslint errors that usually precede them in the same check.
 *
 * Jest:    `FAIL src/x.test.js` then `  ● suite › name` blocks with `at fn (src/x.test.js:5:3)` frames;
 *          `● Test suite failed to run` is a file that did not load (a build error).
 * Vitest:  `FAIL  src/x.test.ts > suite > name` blocks with `❯ src/x.test.ts:6:25` frames, and
 *          `FAIL  src/x.test.ts [ src/x.test.ts ]` for a file that did not load; the run list's
 *          `× suite > name` / `→ message` lines stand in when the blocks were cut from the log.
 */

const TEST_FILE = String.raw`\S+\.(?:[cm]?[jt]sx?|vue|svelte|astro)`;
const FAIL_HEADER = new RegExp(String.raw`^\s*FAIL\s+(${TEST_FILE})(.*)$`);
const JEST_BLOCK = /^\s{2}● (.+?)\s*$/;
const JEST_END = /^(?:Test Suites:|Tests:|Summary of all failing tests|\s*(?:FAIL|PASS)\s+\S)/;
const VITEST_SEPARATOR = /^\s*⎯{3,}/;
const VITEST_END = /^\s*(?:Test Files|Tests)\s{2}/;
const VITEST_FILE = new RegExp(String.raw`^\s*[❯✓×]\s+(${TEST_FILE}) \(\d+ tests?`);
const VITEST_LISTED = /^\s+× (.+?)(?: \d+m?s)?\s*$/;

/** Message lines up to the code frame or stack, and the stack frames. */
function errorBlock(lines: readonly string[]): { message: string; frames: Frame[] } {
  const isFrame = (l: string): boolean => /^\s*(?:at\s|❯\s)/.test(l) && parseJsFrame(l) !== undefined;
  const isCode = (l: string): boolean => /^\s*>?\s*\d*\s*\|/.test(l);
  const stop = lines.findIndex((l) => isFrame(l) || isCode(l) || /^\s*Caused by:/.test(l));
  const message = joinMessage(dedent(stop < 0 ? lines : lines.slice(0, stop)));
  const frames = lines.filter(isFrame).flatMap((l) => parseJsFrame(l) ?? []);
  return { message, frames };
}

/** Where a file-level failure is: the parser's `(4:42)`, else the first frame in that file. */
function fileFailure(file: string, body: readonly string[], tool: string, offset: number): Finding {
  const { message, frames } = errorBlock(body);
  const at = /\((\d+):(\d+)\)\s*$/.exec(message.split("\n")[0] ?? "");
  const frame = at
    ? { line: positiveInt(at[1]), col: positiveInt(at[2]) }
    : frames.find((f) => f.file === file);
  return {
    kind: "build",
    offset,
    error: buildError({ file, line: frame?.line, col: frame?.col, message, tool }),
  };
}

function failureOf(
  name: string,
  file: string,
  body: readonly string[],
  framework: string,
  offset: number,
): Finding {
  const { message, frames } = errorBlock(body);
  const frame = pickFrame(frames, file);
  return {
    kind: "test",
    offset,
    failure: testFailure({ name, file: frame?.file ?? file, line: frame?.line, message, framework }),
  };
}

function blockEnd(lines: readonly Line[], from: number, end: (l: string) => boolean): number {
  let i = from;
  while (i < lines.length && !end(lines[i]?.text ?? "")) i++;
  return i;
}

export function scanJestVitest(text: string): Finding[] {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const listed: Finding[] = [];
  let jestFile: string | undefined;
  let listFile: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const { text: line, offset } = lines[i];
    const header = FAIL_HEADER.exec(line);
    if (header?.[1]) {
      const [, file, rest = ""] = header;
      const vitestTest = /^ > (.+?)\s*$/.exec(rest);
      const vitestFile = /^ \[ (\S+) \]\s*$/.exec(rest);
      if (vitestTest || vitestFile) {
        const end = blockEnd(
          lines,
          i + 1,
          (l) => VITEST_SEPARATOR.test(l) || FAIL_HEADER.test(l) || VITEST_END.test(l),
        );
        const body = lines.slice(i + 1, end).map((l) => l.text);
        findings.push(
          vitestTest?.[1]
            ? failureOf(vitestTest[1], file, body, "vitest", offset)
            : fileFailure(file, body, "vitest", offset),
        );
        i = end - 1;
      } else if (/^(?:\s+\([\d.]+ m?s\))?\s*$/.test(rest)) {
        jestFile = file;
      }
      continue;
    }
    const block = JEST_BLOCK.exec(line);
    if (block?.[1] && jestFile !== undefined) {
      const end = blockEnd(lines, i + 1, (l) => JEST_BLOCK.test(l) || JEST_END.test(l));
      const body = lines.slice(i + 1, end).map((l) => l.text);
      findings.push(
        block[1] === "Test suite failed to run"
          ? fileFailure(jestFile, body, "jest", offset)
          : failureOf(block[1], jestFile, body, "jest", offset),
      );
      i = end - 1;
      continue;
    }
    const file = VITEST_FILE.exec(line);
    if (file?.[1]) {
      listFile = file[1];
      continue;
    }
    const item = VITEST_LISTED.exec(line);
    if (item?.[1] && listFile !== undefined) {
      const note = /^\s+→ (.*)$/.exec(lines[i + 1]?.text ?? "");
      const failure = testFailure({
        name: item[1],
        file: listFile,
        message: note?.[1] ?? "",
        framework: "vitest",
      });
      listed.push({ kind: "test", offset, failure });
    }
  }
  // The run list only stands in for detail blocks that are missing.
  for (const entry of listed) {
    if (entry.kind !== "test") continue;
    const { name } = entry.failure;
    if (!findings.some((f) => f.kind === "test" && f.failure.name === name)) {
      findings.push(entry);
    }
  }
  return findings;
}

export function scanJest(text: string): Finding[] {
  return [...scanTsc(text), ...scanEslint(text), ...scanJestVitest(text)];
}

export const parse = parserOf(scanJest);
