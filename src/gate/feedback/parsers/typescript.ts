import type { Finding } from "../types.ts";
import { buildError, indentOf, joinMessage, positiveInt, splitLines } from "./common.ts";

/**
 * The static checks of JavaScript/TypeScript projects, which usually run in the same check as their
 * tests (`npm test` = `tsc && eslint . && vitest run`): tsc in both its plain and `--pretty` forms,
 * and eslint's default "stylish" formatter.
 */

const TSC_PLAIN = /^(\S.*?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
const TSC_PRETTY = /^(\S.*?):(\d+):(\d+) - error (TS\d+): (.*)$/;
const TSC_GLOBAL = /^error (TS\d+): (.*)$/;

export function scanTsc(text: string): Finding[] {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  for (let i = 0; i < lines.length; i++) {
    const { text: line, offset } = lines[i] ?? { text: "", offset: 0 };
    const m = TSC_PLAIN.exec(line) ?? TSC_PRETTY.exec(line);
    if (m) {
      // tsc elaborates ("Type 'x' is not assignable…") on the following, more indented lines.
      const more: string[] = [];
      while (
        i + 1 < lines.length &&
        /^\s+\S/.test(lines[i + 1]?.text ?? "") &&
        !/^\s+\S+:\d+:\d+\s*$/.test(lines[i + 1]?.text ?? "")
      ) {
        more.push(lines[++i]?.text.trim() ?? "");
        if (more.length >= 10) break;
      }
      const message = joinMessage([`${m[4]}: ${m[5]}`, ...more]);
      const error = buildError({
        file: m[1],
        line: positiveInt(m[2]),
        col: positiveInt(m[3]),
        message,
        tool: "tsc",
      });
      findings.push({ kind: "build", offset, error });
      continue;
    }
    const g = TSC_GLOBAL.exec(line);
    if (g)
      findings.push({
        kind: "build",
        offset,
        error: buildError({ message: `${g[1]}: ${g[2]}`, tool: "tsc" }),
      });
  }
  return findings;
}

const ESLINT_PROBLEM = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)(?:\s{2,}(\S+))?\s*$/;
/** A stylish file header: a path on its own line, flush left. */
const ESLINT_FILE = /^[^\s].*\.\w+$/;

/** eslint errors (warnings do not fail the check), with the rule so the reader can look it up. */
export function scanEslint(text: string): Finding[] {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  let file: string | undefined;
  for (const { text: line, offset } of lines) {
    if (line.trim() === "") continue;
    if (indentOf(line) === 0) {
      file = ESLINT_FILE.test(line) && !/\s{2,}/.test(line) ? line.trim() : undefined;
      continue;
    }
    const m = ESLINT_PROBLEM.exec(line);
    if (!m || file === undefined || m[3] !== "error") continue;
    const message = m[5] ? `${m[4]} (${m[5]})` : (m[4] ?? "");
    findings.push({
      kind: "build",
      offset,
      error: buildError({ file, line: positiveInt(m[1]), col: positiveInt(m[2]), message, tool: "eslint" }),
    });
  }
  return findings;
}
