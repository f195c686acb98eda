import type { Finding, ParseOptions } from "../types.ts";
import {
  buildError,
  indentOf,
  isRepoPath,
  joinMessage,
  parserOf,
  positiveInt,
  splitLines,
  testFailure,
} from "./common.ts";

/**
 * `go test` and `go vet` output: compile errors under `# pkg` headers, vet findings under
 * `# [pkg]`, `--- FAIL: TestX/sub` with the `file_test.go:12: message` lines that belong to it
 * (indented under it, or after `=== RUN` in -v mode), panics and test timeouts with their goroutine
 * traces, and the `FAIL pkg` line that says which package all of that was in.
 */

const RUN = /^=== (?:RUN|CONT|NAME|PAUSE)\s+(\S+)\s*$/;
const RESULT = /^(\s*)--- (FAIL|PASS|SKIP): (\S+) \([\d.]+s\)\s*$/;
const MESSAGE = /^(\s+)([\w.\-+@/]+\.go):(\d+): ?(.*)$/;
const PACKAGE = /^(?:FAIL|ok)\s+([\w.\-~/]+)(?:\s+(?:[\d.]+s|\(cached\)|\[[^\]]+\]).*)?\s*$/;
const BUILD_HEADER = /^# ([^\s[]\S*)(?: \[\S+\])?\s*$/;
const VET_HEADER = /^# \[(\S+)\]\s*$/;
const BUILD_LINE = /^(vet: )?((?:\.{1,2}\/)?[^\s:]+\.go):(\d+)(?::(\d+))?: (.+)$/;
const GO_COMMAND =
  /^go: (?!downloading|finding|extracting|added|upgraded|downgraded|removed|found|to add|warning)(.+)$/;
const PANIC = /^(?:panic|fatal error): (.+?)(?: \[recovered[^\]]*\])?\s*$/;
const PANIC_END = /^(?:exit status \d+|FAIL\s*)$/;
const TEST_FUNC = /\.((?:Test|Example|Fuzz|Benchmark)[^.(/]*)(?:\.func\d+)*\(/;

export interface GoFrame {
  fn: string;
  file: string;
  line: number;
}

/** Goroutine traces: a function line, then its `\tfile.go:12 +0x1f` line. Any indentation. */
export function goFrames(lines: readonly string[]): GoFrame[] {
  const frames: GoFrame[] = [];
  for (let i = 1; i < lines.length; i++) {
    const m = /^\s*(\S+\.go):(\d+)(?: \+0x[0-9a-f]+)?\s*$/.exec(lines[i] ?? "");
    const fn = (lines[i - 1] ?? "").trim();
    const line = positiveInt(m?.[2]);
    if (m?.[1] && line !== undefined && fn !== "" && !fn.startsWith("goroutine ")) {
      frames.push({ fn: fn.replace(/^created by /, ""), file: m[1], line });
    }
  }
  return frames;
}

/** The import path of a traced function: `example.com/m/pkg.(*T).Method(...)` → `example.com/m/pkg`. */
function importPathOf(fn: string): string {
  const name = fn.replace(/\(.*\)$/, "").replace(/ in goroutine \d+$/, "");
  const slash = name.lastIndexOf("/");
  const dot = name.indexOf(".", slash + 1);
  return dot < 0 ? name : name.slice(0, dot);
}

/** The user's frame: in the repository, else in a non-standard-library package outside module caches. */
export function pickGoFrame(frames: readonly GoFrame[]): GoFrame | undefined {
  return (
    frames.find((f) => isRepoPath(f.file)) ??
    frames.find((f) => importPathOf(f.fn).split("/")[0]?.includes(".") && !/\/pkg\/mod\//.test(f.file))
  );
}

interface Entry {
  file: string;
  line: number;
  lines: string[];
  indent: number;
}

interface GoTest {
  name: string;
  offset: number;
  failed: boolean;
  entries: Entry[];
  panic?: { message: string; frame: GoFrame | undefined };
}

interface Pending {
  test: GoTest;
  pkg: string | undefined;
}

export function scanGo(text: string, options: ParseOptions): Finding[] {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const done: Pending[] = [];
  const evidence: { pkg: string; dir: string }[] = [];
  let tests = new Map<string, GoTest>();
  let current: string | undefined;
  let lastResult: { name: string; indent: number } | undefined;
  let lastEntry: Entry | undefined;
  let build: { pkg: string; vet: boolean } | undefined;

  const testNamed = (name: string, offset: number): GoTest => {
    let test = tests.get(name);
    if (!test) {
      test = { name, offset, failed: false, entries: [] };
      tests.set(name, test);
    }
    return test;
  };
  const flush = (pkg: string | undefined): void => {
    for (const test of tests.values()) if (test.failed) done.push({ test, pkg });
    tests = new Map();
    current = undefined;
    lastResult = undefined;
    lastEntry = undefined;
    build = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const { text: line, offset } = lines[i];
    let m: RegExpExecArray | null;
    if ((m = RUN.exec(line))) {
      current = m[1];
      lastResult = undefined;
      lastEntry = undefined;
    } else if ((m = RESULT.exec(line))) {
      const [, indent = "", status, name = ""] = m;
      if (status === "FAIL") testNamed(name, offset).failed = true;
      else if (!tests.get(name)?.failed) tests.delete(name);
      lastResult = { name, indent: indent.length };
      lastEntry = undefined;
    } else if (lastEntry && /^\s/.test(line) && indentOf(line) > lastEntry.indent) {
      lastEntry.lines.push(line.slice(lastEntry.indent + 4));
    } else if ((m = MESSAGE.exec(line))) {
      const [, indent = "", file = "", lineNo, message = ""] = m;
      const owner =
        lastResult && indent.length === lastResult.indent + 4
          ? lastResult.name
          : (current ?? lastResult?.name);
      if (owner !== undefined) {
        lastEntry = { file, line: positiveInt(lineNo) ?? 0, lines: [message], indent: indent.length };
        testNamed(owner, offset).entries.push(lastEntry);
      }
    } else if ((m = VET_HEADER.exec(line))) {
      build = { pkg: m[1] ?? "", vet: true };
    } else if ((m = BUILD_HEADER.exec(line))) {
      build = { pkg: m[1] ?? "", vet: false };
    } else if ((m = BUILD_LINE.exec(line)) && (m[4] !== undefined || build !== undefined)) {
      // Compiler and vet errors carry a column; without one (a log line with Lshortfile) only
      // under a `# pkg` header.
      const [, vet, rawFile = "", lineNo, col, message = ""] = m;
      const file = rawFile.replace(/^\.\//, "");
      const dir =
        file.includes("/") && !/^\.\.?\//.test(file) ? file.slice(0, file.lastIndexOf("/")) : undefined;
      if (build && dir !== undefined && !file.startsWith("/")) evidence.push({ pkg: build.pkg, dir });
      const tool = vet || build?.vet ? "go vet" : "go";
      const error = buildError({ file, line: positiveInt(lineNo), col: positiveInt(col), message, tool });
      findings.push({ kind: "build", offset, error });
    } else if (GO_COMMAND.test(line)) {
      findings.push({ kind: "build", offset, error: buildError({ message: line, tool: "go" }) });
    } else if ((m = PANIC.exec(line))) {
      let end = i + 1;
      while (
        end < lines.length &&
        !PACKAGE.test(lines[end]?.text ?? "") &&
        !PANIC_END.test(lines[end]?.text ?? "")
      ) {
        end++;
      }
      const block = lines.slice(i, end).map((l) => l.text);
      const message = `${line.startsWith("fatal") ? "fatal error" : "panic"}: ${m[1] ?? ""}`;
      for (const { name, frame } of panicked(block, current, lastResult?.name, tests)) {
        const test = testNamed(name, offset);
        test.failed = true;
        test.panic = { message, frame };
      }
      for (const f of goFrames(block)) {
        if (isRepoPath(f.file)) evidence.push({ pkg: importPathOf(f.fn), dir: dirOf(f.file) });
      }
      i = end - 1;
    } else if ((m = PACKAGE.exec(line))) {
      flush(m[1]);
    } else if (!/^\s/.test(line) || line.trim() === "") {
      lastEntry = undefined;
    }
  }
  flush(undefined);

  const module = options.goModule ?? inferModule(evidence);
  for (const { test, pkg } of done) {
    const finding = toFinding(test, pkg, module, done);
    if (finding) findings.push(finding);
  }
  return findings;
}

function dirOf(file: string): string {
  return file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
}

/** Which tests a panic or timeout trace belongs to, with each one's most useful frame. */
function panicked(
  block: readonly string[],
  current: string | undefined,
  lastFailed: string | undefined,
  tests: ReadonlyMap<string, GoTest>,
): { name: string; frame: GoFrame | undefined }[] {
  const goroutines: string[][] = [[]];
  for (const line of block) {
    if (/^goroutine \d+ \[/.test(line)) goroutines.push([]);
    goroutines[goroutines.length - 1]?.push(line);
  }
  const running: string[] = [];
  const at = block.findIndex((l) => l.trim() === "running tests:");
  for (let i = at + 1; at >= 0 && i < block.length; i++) {
    const m = /^\s+(\S+) \([^)]*\)\s*$/.exec(block[i] ?? "");
    if (!m?.[1]) break;
    running.push(m[1]);
  }
  if (running.length > 0) {
    return running.map((name) => {
      const top = name.split("/")[0] ?? name;
      const own = goroutines.find((g) => goFrames(g).some((f) => TEST_FUNC.exec(f.fn)?.[1] === top));
      return { name, frame: own ? pickGoFrame(goFrames(own)) : undefined };
    });
  }
  const first = goroutines.find((g) => goFrames(g).length > 0) ?? [];
  const frames = goFrames(first);
  const failedBare =
    lastFailed !== undefined && tests.get(lastFailed)?.entries.length === 0 ? lastFailed : undefined;
  const fromTrace = frames.map((f) => TEST_FUNC.exec(f.fn)?.[1]).find((n) => n !== undefined);
  const name = failedBare ?? current ?? fromTrace;
  return name === undefined ? [] : [{ name, frame: pickGoFrame(frames) }];
}

/** The module path, from a package whose files were printed with their repository directory. */
function inferModule(evidence: readonly { pkg: string; dir: string }[]): string | undefined {
  for (const { pkg, dir } of evidence) {
    if (dir !== "." && pkg.endsWith(`/${dir}`)) return pkg.slice(0, pkg.length - dir.length - 1);
  }
  return undefined;
}

/** `go test` prints test files relative to their package directory; map them to the repository. */
function resolveFile(file: string, pkg: string | undefined, module: string | undefined): string {
  if (file.includes("/") || pkg === undefined || module === undefined) return file;
  if (pkg === module) return file;
  return pkg.startsWith(`${module}/`) ? `${pkg.slice(module.length + 1)}/${file}` : file;
}

function toFinding(
  test: GoTest,
  pkg: string | undefined,
  module: string | undefined,
  all: readonly Pending[],
): Finding | undefined {
  const { name, entries, panic } = test;
  if (panic) {
    const failure = testFailure({
      name,
      file: panic.frame?.file,
      line: panic.frame?.line,
      message: panic.message,
      framework: "go",
    });
    return { kind: "test", offset: test.offset, failure };
  }
  const first = entries[0];
  if (!first) {
    // A parent that failed only because a subtest did says nothing the subtest does not.
    if (all.some((p) => p.pkg === pkg && p.test.name.startsWith(`${name}/`))) return undefined;
    const failure = testFailure({ name, message: "", framework: "go" });
    return { kind: "test", offset: test.offset, weak: true, failure };
  }
  const message = joinMessage(
    entries.flatMap((e, i) =>
      i === 0 ? e.lines : [`${e.file}:${e.line}: ${e.lines[0] ?? ""}`, ...e.lines.slice(1)],
    ),
  );
  const failure = testFailure({
    name,
    file: resolveFile(first.file, pkg, module),
    line: first.line,
    message,
    framework: "go",
  });
  return { kind: "test", offset: test.offset, failure };
}

export const parse = parserOf(scanGo);
