import pc from "picocolors";

/** picocolors' formatter set; `createColors(false)` gives the plain-text one the file reporters use. */
export type Colors = ReturnType<typeof pc.createColors>;

export const plain: Colors = pc.createColors(false);

// Script output and kubectl-style tools may colour their output; files and annotations must not carry it.
export { stripAnsi } from "../process/index.ts";

/** Prefixes every non-empty line (empty lines stay empty so nothing ends in trailing spaces). */
export function indent(lines: readonly string[], prefix: string): string[] {
  return lines.map((line) => (line === "" ? "" : prefix + line));
}

export function splitLines(text: string): string[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.length > 1 && lines.at(-1) === "") lines.pop();
  return lines;
}

/** The last `max` lines of a text, and how many were left out before them. */
export function tailLines(text: string, max: number): { lines: string[]; omitted: number } {
  const lines = splitLines(text.trimEnd());
  const omitted = Math.max(0, lines.length - max);
  return { lines: lines.slice(omitted), omitted };
}

/** Cuts plain text to a terminal width so that a live line never wraps (a wrapped line breaks redraws). */
export function fit(text: string, width: number): string {
  if (width <= 1 || text.length <= width) return text;
  return `${text.slice(0, width - 1)}…`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * `e2e/a/chainsaw-test.yaml:4 › name`: how terminal reporters name a test. The location is where to
 * look and what `path:line` selects; the id (`file::name`) is for reports, labels and history.
 */
export function testTitle(test: { name: string; location: { file: string; line: number } }): string {
  return `${test.location.file}:${test.location.line} › ${test.name}`;
}
