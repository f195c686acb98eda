import type { Finding } from "../types.ts";
import { buildError, parserOf, positiveInt, splitLines } from "./common.ts";

/**
 * GNU make. `make: *** [Makefile:12: test] Error 2` only says which recipe failed, and the cause is
 * printed above it, so it is a weak finding: kept when nothing more precise was found. Errors make
 * itself raises (`Makefile:3: *** missing separator.  Stop.`, `No rule to make target`) are real
 * build errors. A sub-make's Makefile is found through its `Entering directory` line.
 */

const RECIPE =
  /^make(?:\[(\d+)\])?: \*\*\* \[(?:(.+?):(\d+): )?([^\]]+)\] (Error \d+|Interrupt|Killed|Terminated|Segmentation fault.*)\s*$/;
const DIRECTORY = /^make(?:\[(\d+)\])?: (Entering|Leaving) directory ['`](.+)'\s*$/;
const MAKEFILE_ERROR = /^(\S+?):(\d+): \*\*\* (.+?)\s*$/;
const MAKE_ERROR = /^make(?:\[\d+\])?: \*\*\* (?!\[|Waiting for unfinished jobs)(.+?)\s*$/;

function inDirectory(dir: string | undefined, file: string): string {
  if (dir === undefined || dir === "." || file.startsWith("/")) return file;
  return `${dir.replace(/\/+$/, "")}/${file}`;
}

export function scanMake(text: string): Finding[] {
  const findings: Finding[] = [];
  const dirs = new Map<number, string>();
  for (const { text: line, offset } of splitLines(text)) {
    let m: RegExpExecArray | null;
    if ((m = DIRECTORY.exec(line))) {
      const level = positiveInt(m[1]) ?? 0;
      if (m[2] === "Entering" && m[3] !== undefined) dirs.set(level, m[3]);
      else dirs.delete(level);
    } else if ((m = RECIPE.exec(line))) {
      const level = positiveInt(m[1]) ?? 0;
      const file = m[2] === undefined ? undefined : inDirectory(dirs.get(level), m[2]);
      const error = buildError({ file, line: positiveInt(m[3]), message: line.trim(), tool: "make" });
      findings.push({ kind: "build", offset, weak: true, error });
    } else if ((m = MAKEFILE_ERROR.exec(line))) {
      const error = buildError({ file: m[1], line: positiveInt(m[2]), message: m[3] ?? "", tool: "make" });
      findings.push({ kind: "build", offset, error });
    } else if ((m = MAKE_ERROR.exec(line))) {
      findings.push({ kind: "build", offset, error: buildError({ message: m[1] ?? "", tool: "make" }) });
    }
  }
  return findings;
}

export const parse = parserOf(scanMake);
