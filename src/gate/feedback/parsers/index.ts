import { cleanOutput } from "../ansi.ts";
import { MAX_FAILURES } from "../../../model/feedback.ts";
import type { BuildError, Finding, ParsedFailures, ParseOptions, Scanner, TestFailure } from "../types.ts";
import { scanGinkgo } from "./ginkgo.ts";
import { scanGo } from "./go.ts";
import { scanJest } from "./jest.ts";
import { scanKubeproof } from "./kubeproof.ts";
import { scanMake } from "./make.ts";
import { scanNodeTest } from "./node-test.ts";
import { scanPytest } from "./pytest.ts";

/**
 * Every parser over one check's output. A check is a shell command, so its output can hold several
 * tools' (`make test` running `go vet` then `go test`); each parser only recognises its own lines.
 */

const SCANNERS: readonly Scanner[] = [
  scanGo,
  scanGinkgo,
  scanNodeTest,
  scanJest,
  scanPytest,
  scanMake,
  scanKubeproof,
];

export interface ParsedOutput extends ParsedFailures {
  /** Found but left out beyond the cap (the first ones are the ones to fix first). */
  omittedBuildErrors: number;
  omittedFailures: number;
}

export interface ParseOutputOptions extends ParseOptions {
  /** At most this many build errors and this many failures; default 20. */
  max?: number;
}

function buildKey(e: BuildError): string {
  return [e.file ?? "", e.line ?? "", e.col ?? "", e.message].join("\0");
}

/**
 * One failure reported twice (a summary and a detail block, two reporters) is one entry: the first
 * seen, completed with what the other knew. The same name in one file at two different lines is two.
 */
function dedupeFailures(failures: readonly TestFailure[]): TestFailure[] {
  const byKey = new Map<string, TestFailure>();
  for (const failure of failures) {
    const key = `${failure.name}\0${failure.file ?? ""}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...failure });
    } else if (seen.line !== undefined && failure.line !== undefined && seen.line !== failure.line) {
      const lineKey = `${key}\0${failure.line}`;
      if (!byKey.has(lineKey)) byKey.set(lineKey, { ...failure });
    } else {
      if (seen.line === undefined && failure.line !== undefined) seen.line = failure.line;
      if (seen.message === "" && failure.message !== "") seen.message = failure.message;
    }
  }
  // Filling in `line` after the fact must not change the key order of the object.
  return [...byKey.values()].map((f) => ({
    name: f.name,
    ...(f.file !== undefined ? { file: f.file } : {}),
    ...(f.line !== undefined ? { line: f.line } : {}),
    message: f.message,
    framework: f.framework,
  }));
}

/** Runs every parser over cleaned text (see `cleanOutput`) and merges their findings. */
export function scanAll(text: string, options: ParseOptions = {}): Finding[] {
  const findings = SCANNERS.flatMap((scan) => scan(text, options));
  // Weak findings echo a failure reported better elsewhere (see Finding).
  const strong = findings.filter((f) => !f.weak);
  return (strong.length > 0 ? strong : findings).sort((a, b) => a.offset - b.offset);
}

/**
 * The failures in one check's output: build errors first (in output order, since the first one is
 * usually the cause of the rest), then test failures, each deduplicated and capped.
 */
export function parseOutput(output: string, options: ParseOutputOptions = {}): ParsedOutput {
  const max = options.max ?? MAX_FAILURES;
  const findings = scanAll(cleanOutput(output), options);
  const buildErrors: BuildError[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (f.kind !== "build" || seen.has(buildKey(f.error))) continue;
    seen.add(buildKey(f.error));
    buildErrors.push(f.error);
  }
  const failures = dedupeFailures(findings.flatMap((f) => (f.kind === "test" ? [f.failure] : [])));
  return {
    buildErrors: buildErrors.slice(0, max),
    failures: failures.slice(0, max),
    omittedBuildErrors: Math.max(0, buildErrors.length - max),
    omittedFailures: Math.max(0, failures.length - max),
  };
}

/** The same, shaped like each single parser's result. */
export function parse(output: string, options: ParseOutputOptions = {}): ParsedFailures {
  const { buildErrors, failures } = parseOutput(output, options);
  return { buildErrors, failures };
}

export { parse as parseGo } from "./go.ts";
export { parse as parseGinkgo } from "./ginkgo.ts";
export { parse as parseNodeTest } from "./node-test.ts";
export { parse as parseJest } from "./jest.ts";
export { parse as parsePytest } from "./pytest.ts";
export { parse as parseMake } from "./make.ts";
export { parse as parseKubeproof } from "./kubeproof.ts";
