import { cleanOutput } from "../ansi.ts";
import type { BuildError, Finding, ParsedFailures, ParseOptions, Scanner, TestFailure } from "../types.ts";

/** Helpers shared by the output parsers. */

export interface Line {
  text: string;
  /** Where the line starts in the scanned text: orders findings across parsers. */
  offset: number;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    lines.push({ text: line, offset });
    offset += line.length + 1;
  }
  return lines;
}

export function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Removes the common indentation of the non-blank lines. */
export function dedent(lines: readonly string[]): string[] {
  const widths = lines.filter((l) => l.trim() !== "").map(indentOf);
  const common = widths.length === 0 ? 0 : Math.min(...widths);
  return lines.map((l) => l.slice(Math.min(common, indentOf(l))));
}

/** Joins lines into a message without leading or trailing blank lines or trailing spaces. */
export function joinMessage(lines: readonly string[]): string {
  const trimmed = lines.map((l) => l.trimEnd());
  let start = 0;
  let end = trimmed.length;
  while (start < end && trimmed[start] === "") start++;
  while (end > start && trimmed[end - 1] === "") end--;
  return clip(trimmed.slice(start, end).join("\n"));
}

/** Parsers keep messages whole but bounded; the document shortens them further to fit its size. */
const MAX_MESSAGE_CHARS = 8000;

export function clip(message: string): string {
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS)}…`;
}

export function positiveInt(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number.parseInt(text, 10);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

type Optional<T> = { [K in keyof T]?: T[K] | undefined };

/** Copies `fields` in key order, leaving out undefined and empty-string optional values. */
function defined<T extends object>(fields: Optional<T>, keys: readonly (keyof T)[]): T {
  const out: Partial<T> = {};
  for (const key of keys) {
    const value = fields[key];
    if (value !== undefined && value !== "") out[key] = value;
  }
  return out as T;
}

/** A build error without undefined fields, so that results compare and serialize cleanly. */
export function buildError(fields: Optional<BuildError> & { message: string; tool: string }): BuildError {
  const where: Pick<BuildError, "file" | "line" | "col"> = defined(fields, ["file", "line", "col"]);
  return { ...where, message: fields.message, tool: fields.tool };
}

export function testFailure(
  fields: Optional<TestFailure> & { name: string; message: string; framework: string },
): TestFailure {
  const where: Pick<TestFailure, "file" | "line"> = defined(fields, ["file", "line"]);
  return {
    name: fields.name,
    ...where,
    message: fields.message,
    framework: fields.framework,
  };
}

/** Findings in output order, split by kind. */
export function toParsed(findings: readonly Finding[]): ParsedFailures {
  const sorted = [...findings].sort((a, b) => a.offset - b.offset);
  return {
    buildErrors: sorted.flatMap((f) => (f.kind === "build" ? [f.error] : [])),
    failures: sorted.flatMap((f) => (f.kind === "test" ? [f.failure] : [])),
  };
}

/** Wraps a scanner as a parser of raw output (colours and progress lines are removed first). */
export function parserOf(scan: Scanner): (output: string, options?: ParseOptions) => ParsedFailures {
  return (output, options = {}) => toParsed(scan(cleanOutput(output), options));
}

export interface Frame {
  file: string;
  line: number;
  col?: number;
}

/**
 * A JavaScript stack frame in the forms test runners print: `at fn (file:1:2)`, `at file:1:2`, the
 * TAP form without `at`, and vitest's `❯ fn file:1:2`.
 */
export function parseJsFrame(text: string): Frame | undefined {
  const t = text.trim();
  const m =
    /^(?:at\s+)?(?:.*?\()?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?(?: \{)?$/.exec(t) ??
    /^❯\s+(?:\S+\s+)?([^\s()]+?):(\d+):(\d+)$/.exec(t);
  if (!m) return undefined;
  const line = positiveInt(m[2]);
  if (line === undefined) return undefined;
  const file = (m[1] ?? "").replace(/^file:\/\//, "");
  const col = positiveInt(m[3]);
  return col === undefined ? { file, line } : { file, line, col };
}

/**
 * Code outside the repository: runtimes, toolchains, dependencies. Paths were made relative to the
 * repository before parsing, so an absolute path is outside it.
 */
export function isLibraryPath(file: string): boolean {
  return (
    file.startsWith("node:") ||
    file.startsWith("internal/") ||
    file === "<anonymous>" ||
    /(^|\/)node_modules\//.test(file) ||
    /(^|\/)(site|dist)-packages\//.test(file) ||
    /\/pkg\/mod\//.test(file) ||
    /(^|\/)go\/src\/(runtime|testing|internal)\//.test(file) ||
    /(^|\/)_testmain\.go$/.test(file)
  );
}

export function isRepoPath(file: string): boolean {
  return !file.startsWith("/") && !isLibraryPath(file);
}

/**
 * The frame to point a reader at: one in the test's own file if known, else the first in the
 * repository, else the first that is not library code.
 */
export function pickFrame(frames: readonly Frame[], preferFile?: string): Frame | undefined {
  if (preferFile !== undefined) {
    const own = frames.find((f) => f.file === preferFile);
    if (own) return own;
  }
  return frames.find((f) => isRepoPath(f.file)) ?? frames.find((f) => !isLibraryPath(f.file));
}

/** `AssertionError [ERR_ASSERTION]: x` → `AssertionError: x`: the code adds nothing to act on. */
export function dropErrorCode(line: string): string {
  return line.replace(/^(\w*(?:Error|Exception)) \[[A-Za-z_]+\]:/, "$1:");
}
