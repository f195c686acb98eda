import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { RunResult, TestAttempt, TestInfo, TestResult } from "../model/result.ts";
import type { TestFormat } from "../model/test.ts";
import { formatLocation } from "../model/source.ts";
import { formatDuration } from "../source/duration.ts";
import { CollectingReporter, type Entry } from "./collect.ts";
import { failureMessage, failurePoint, formatTestDetails } from "./failure-format.ts";
import type { ReporterOptions } from "./options.ts";
import { plural } from "./text.ts";
import { cdata, element } from "./xml.ts";

/** JUnit counts seconds. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/** Per-step and per-operation timings of each attempt: where a slow or flaky test spent its time. */
export function formatTimings(result: TestResult): string[] {
  const out: string[] = [];
  const many = result.attempts.length > 1;
  result.attempts.forEach((attempt: TestAttempt, i) => {
    if (many) {
      if (i > 0) out.push("");
      out.push(
        `attempt ${i + 1} of ${result.attempts.length}: ${attempt.status} in ${formatDuration(attempt.durationMs, { decimals: 1 })}`,
      );
    }
    const pad = many ? "  " : "";
    for (const step of attempt.steps) {
      out.push(
        `${pad}step ${step.name}: ${step.status} in ${formatDuration(step.durationMs, { decimals: 1 })} (${formatLocation(step.location)})`,
      );
      for (const op of step.operations) {
        const evaluations = op.evaluations !== undefined ? `, ${plural(op.evaluations, "evaluation")}` : "";
        out.push(
          `${pad}  ${op.phase} ${op.type}: ${op.status} in ${formatDuration(op.durationMs, { decimals: 1 })}${evaluations} (${formatLocation(op.location)})`,
        );
      }
    }
  });
  return out;
}

function properties(test: TestInfo, result: TestResult): string {
  const last = result.attempts.at(-1);
  const props: [string, string | undefined][] = [
    ["id", test.id],
    ["format", test.format],
    ["namespace", last?.namespace],
    ["artifacts", last?.artifactsDir ?? result.attempts.find((a) => a.artifactsDir)?.artifactsDir],
    ["attempts", result.attempts.length > 1 ? String(result.attempts.length) : undefined],
    ...Object.entries(test.labels).map(([k, v]): [string, string] => [`label:${k}`, v]),
  ];
  return element(
    "properties",
    {},
    props
      .filter((p): p is [string, string] => p[1] !== undefined)
      .map(([name, value]) => element("property", { name, value })),
  );
}

/**
 * A format whose own runner names its JUnit classes keeps that name, so dashboards and test history
 * built on its reports go on working: vk-test-set's tests are pytest's vktestset/basic_test.py.
 */
const FORMAT_CLASSNAME: Partial<Record<TestFormat, string>> = { "vk-test-set": "vktestset.basic_test" };

function testcase(entry: Entry): string {
  const { test, result } = entry;
  const children = [properties(test, result)];
  const details = formatTestDetails(result).join("\n");
  const message = failureMessage(result);
  switch (result.status) {
    case "failed": {
      const last = result.attempts.at(-1);
      const type = (last && failurePoint(last).operation?.type) ?? "failure";
      children.push(element("failure", { message: message ?? "failed", type }, cdata(details)));
      break;
    }
    case "interrupted":
      children.push(
        element("error", { message: message ?? "interrupted", type: "interrupted" }, cdata(details)),
      );
      break;
    case "skipped":
      children.push(element("skipped", { message: result.skipReason }));
      break;
    default:
      break;
  }
  // A flaky test passes (as in Playwright); what failed before the passing retry goes to system-out.
  const out = [...(result.status === "flaky" ? [details, ""] : []), ...formatTimings(result)];
  if (out.length > 0) children.push(element("system-out", {}, cdata(`${out.join("\n")}\n`)));
  return element(
    "testcase",
    {
      name: test.name,
      classname: FORMAT_CLASSNAME[test.format] ?? test.location.file,
      time: seconds(result.durationMs),
    },
    children,
  );
}

interface Counts {
  tests: number;
  failures: number;
  skipped: number;
  errors: number;
  ms: number;
}

function count(entries: readonly Entry[]): Counts {
  const c: Counts = { tests: entries.length, failures: 0, skipped: 0, errors: 0, ms: 0 };
  for (const { result } of entries) {
    if (result.status === "failed") c.failures++;
    if (result.status === "skipped") c.skipped++;
    if (result.status === "interrupted") c.errors++;
    c.ms += result.durationMs;
  }
  return c;
}

/** The report: one `<testsuite>` per test file, in the order the files' first tests were planned. */
export function buildJUnitXml(entries: readonly Entry[], run: RunResult, timestamp?: string): string {
  const byFile = new Map<string, Entry[]>();
  for (const entry of entries) {
    const file = entry.test.location.file;
    const list = byFile.get(file) ?? [];
    list.push(entry);
    byFile.set(file, list);
  }
  const suites = [...byFile].map(([file, list]) => {
    const c = count(list);
    return element(
      "testsuite",
      {
        name: file,
        timestamp,
        tests: c.tests,
        failures: c.failures,
        skipped: c.skipped,
        errors: c.errors,
        time: seconds(c.ms),
      },
      list.map(testcase),
    );
  });
  const total = count(entries);
  const root = element(
    "testsuites",
    {
      name: "kubeproof",
      tests: total.tests,
      failures: total.failures,
      skipped: total.skipped,
      errors: total.errors,
      time: seconds(run.durationMs),
    },
    suites,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

/** Writes JUnit XML to `outputFile` or `<reportDir>/junit.xml` when the run ends. */
export class JUnitReporter extends CollectingReporter {
  readonly outputFile: string;

  constructor(options: ReporterOptions) {
    super(options.now);
    this.outputFile = resolve(options.outputFile ?? join(options.reportDir, "junit.xml"));
  }

  async onEnd(result: RunResult): Promise<void> {
    const xml = buildJUnitXml(this.collector.entries(result), result, this.collector.run?.startedAt);
    await mkdir(dirname(this.outputFile), { recursive: true });
    await writeFile(this.outputFile, xml);
  }
}
