import type { Finding } from "../types.ts";
import { dedent, isRepoPath, joinMessage, parserOf, positiveInt, splitLines, testFailure } from "./common.ts";
import { goFrames, pickGoFrame } from "./go.ts";

/**
 * Ginkgo v2 output. Each failed spec gets a block between `------------------------------` lines:
 *
 *   • [FAILED] [0.000 seconds]
 *   Widget controller when created [It] creates the deployment
 *   /repo/controllers/widget_test.go:19
 *
 *     [FAILED] Expected <int>: 1 to equal <int>: 2
 *     In [It] at: /repo/controllers/widget_test.go:22 @ 11/20/26 22:41:04.732
 *
 * and the run ends with `Summarizing N Failures:` and `[FAIL] <spec text>` / `<file>:<line>` pairs,
 * which is all that is left when the blocks were cut from a long log.
 */

const BLOCK_HEADER = /^\s*•.*\[(FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\]/;
const SEPARATOR = /^-{20,}\s*$/;
const LOCATION = /^\s*(?:\[[\w ]+\]\s+)?(\S+?):(\d+)\s*$/;
const FAILURE_AT = /^\s*In \[[^\]]+\] at: (\S+?):(\d+)(?: @ .*)?$/;
const SUMMARY_START = /^\s*Summarizing \d+ Failures?:\s*$/;
const SUMMARY_ITEM = /^\s*\[(FAIL|PANICKED!|TIMEDOUT|INTERRUPTED|ABORTED)\] (.+?)\s*$/;
/** Node-type markers Ginkgo prints inside the spec text; `--focus` matches the text without them. */
const NODE_MARKER =
  /\[(?:It|BeforeEach|JustBeforeEach|AfterEach|JustAfterEach|BeforeAll|AfterAll|DeferCleanup[^\]]*|ReportBeforeEach|ReportAfterEach)\]\s*/g;

interface Spec {
  name: string;
  offset: number;
  message: string;
  location?: { file: string; line: number };
}

function specName(text: string): string {
  const name = text.replace(NODE_MARKER, "").replace(/\s+/g, " ").trim();
  return name === "" ? text.trim() : name;
}

function repoLocation(
  file: string | undefined,
  line: string | undefined,
): { file: string; line: number } | undefined {
  const n = positiveInt(line);
  return file !== undefined && n !== undefined && isRepoPath(file) ? { file, line: n } : undefined;
}

/** One `• [FAILED]` block: the spec, where it failed (or, for a panic in library code, where it is). */
function parseBlock(lines: readonly string[], offset: number): Spec | undefined {
  const title = lines[1];
  if (title === undefined) return undefined;
  const specLocations: { file: string; line: number; node: string }[] = [];
  let i = 2;
  for (; i < lines.length; i++) {
    const m = LOCATION.exec(lines[i] ?? "");
    const line = positiveInt(m?.[2]);
    if (!m?.[1] || line === undefined) break;
    specLocations.push({ file: m[1], line, node: /\[(\w+)\]/.exec(lines[i] ?? "")?.[1] ?? "It" });
  }
  const body = lines.slice(i);
  const start = body.findIndex((l) => /^\s*\[(FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\]/.test(l));
  const atIndex = body.findIndex((l) => FAILURE_AT.test(l));
  const at = FAILURE_AT.exec(body[atIndex] ?? "");
  const messageLines = start >= 0 ? body.slice(start, atIndex > start ? atIndex : undefined) : [];
  const first =
    messageLines[0]?.replace(/^(\s*)\[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED|ABORTED)\] ?/, "$1") ?? "";
  let message = joinMessage(dedent([first, ...messageLines.slice(1)]));
  let location = repoLocation(at?.[1], at?.[2]);
  if (/\[PANICKED\]/.test(body[start] ?? "")) {
    const traceAt = body.findIndex((l) => l.trim() === "Full Stack Trace");
    const value = joinMessage(dedent(body.slice(atIndex + 1, traceAt >= 0 ? traceAt : undefined)));
    if (value !== "") message = `${message}: ${value}`;
    const frame = pickGoFrame(goFrames(traceAt >= 0 ? body.slice(traceAt + 1) : []));
    if (!location && frame && isRepoPath(frame.file)) location = { file: frame.file, line: frame.line };
  }
  const spec = specLocations.find((l) => l.node === "It") ?? specLocations[0];
  location ??= spec && isRepoPath(spec.file) ? { file: spec.file, line: spec.line } : undefined;
  return { name: specName(title), offset, message, ...(location ? { location } : {}) };
}

export function scanGinkgo(text: string): Finding[] {
  const lines = splitLines(text);
  const specs: Spec[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]?.text ?? "";
    if (BLOCK_HEADER.test(line)) {
      let end = i + 1;
      while (end < lines.length && !SEPARATOR.test(lines[end]?.text ?? "")) end++;
      const spec = parseBlock(
        lines.slice(i, end).map((l) => l.text),
        lines[i]?.offset ?? 0,
      );
      if (spec) specs.push(spec);
      i = end - 1;
    } else if (SUMMARY_START.test(line)) {
      for (let j = i + 1; j < lines.length; j++) {
        const item = SUMMARY_ITEM.exec(lines[j]?.text ?? "");
        if (!item?.[2]) {
          if ((lines[j]?.text ?? "").trim() === "") break;
          continue;
        }
        const name = specName(item[2]);
        const loc = LOCATION.exec(lines[j + 1]?.text ?? "");
        const location = repoLocation(loc?.[1], loc?.[2]);
        if (!specs.some((s) => s.name === name)) {
          specs.push({ name, offset: lines[j]?.offset ?? 0, message: "", ...(location ? { location } : {}) });
        }
        if (loc) j++;
      }
    }
  }
  return specs.map((s) => ({
    kind: "test",
    offset: s.offset,
    failure: testFailure({
      name: s.name,
      file: s.location?.file,
      line: s.location?.line,
      message: s.message,
      framework: "ginkgo",
    }),
  }));
}

export const parse = parserOf(scanGinkgo);
