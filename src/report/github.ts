import { isAbsolute, relative, resolve, sep } from "node:path";
import type { FailureDetail, RunInfo, RunResult, TestInfo, TestResult } from "../model/result.ts";
import type { SourceLocation } from "../model/source.ts";
import { ResultCollector } from "./collect.ts";
import { explainingAttempt, failurePoint, formatTestDetails, pointLocation } from "./failure-format.ts";
import type { ReporterOptions } from "./options.ts";
import type { Reporter } from "./reporter.ts";
import { plain, stripAnsi } from "./text.ts";

/**
 * GitHub Actions workflow commands, escaped as the runner unescapes them (actions/toolkit's
 * toCommandValue / toCommandProperties): `%`, CR and LF everywhere, and in properties also `:` and `,`,
 * which would otherwise end the property list or the property.
 */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export interface Annotation {
  level: "error" | "warning" | "notice";
  message: string;
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

export function formatAnnotation(a: Annotation): string {
  const props = (
    [
      ["file", a.file],
      ["line", a.line],
      ["col", a.col],
      ["title", a.title],
    ] as const
  )
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${a.level}${props ? ` ${props}` : ""}::${escapeData(stripAnsi(a.message).trimEnd())}`;
}

/**
 * GitHub resolves annotation paths against the repository checkout; test locations are relative to the
 * run's root, which need not be the checkout's root.
 */
export function workspacePath(file: string, run: RunInfo | undefined, env: NodeJS.ProcessEnv): string {
  const workspace = env.GITHUB_WORKSPACE;
  if (!workspace || !run) return file;
  const rel = relative(workspace, resolve(run.rootDir, file));
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return file;
  return sep === "/" ? rel : rel.split(sep).join("/");
}

/** The annotation for one finished test: failures are errors, flaky tests warnings, the rest nothing. */
export function annotationFor(
  test: TestInfo,
  result: TestResult,
  run: RunInfo | undefined,
  env: NodeJS.ProcessEnv,
): Annotation | undefined {
  if (result.status !== "failed" && result.status !== "flaky") return undefined;
  const explaining = explainingAttempt(result);
  const location: SourceLocation =
    (explaining && pointLocation(failurePoint(explaining.attempt))) ?? test.location;
  return {
    level: result.status === "failed" ? "error" : "warning",
    file: workspacePath(location.file, run, env),
    line: location.line,
    col: location.col,
    title: result.status === "failed" ? test.id : `${test.id} (flaky)`,
    message: `${test.name}\n\n${formatTestDetails(result, plain).join("\n")}`,
  };
}

/** Prints `::error`/`::warning` annotations for failed and flaky tests when the run ends. */
export class GithubReporter implements Reporter {
  private readonly stream: NodeJS.WritableStream;
  private readonly env: NodeJS.ProcessEnv;
  private readonly collector: ResultCollector;

  constructor(options: ReporterOptions) {
    this.stream = options.stream ?? process.stdout;
    this.env = options.env ?? process.env;
    this.collector = new ResultCollector(options.now ?? Date.now);
  }

  onBegin(run: RunInfo, tests: readonly TestInfo[]): void {
    this.collector.onBegin(run, tests);
  }

  onTestEnd(test: TestInfo, result: TestResult): void {
    this.collector.onTestEnd(test, result);
  }

  onError(error: FailureDetail): void {
    const at = error.location
      ? {
          file: workspacePath(error.location.file, this.collector.run, this.env),
          line: error.location.line,
          col: error.location.col,
        }
      : {};
    this.stream.write(
      `${formatAnnotation({ level: "error", title: "kubeproof", message: error.message, ...at })}\n`,
    );
  }

  onEnd(result: RunResult): void {
    for (const { test, result: r, notRun } of this.collector.entries(result)) {
      if (notRun) continue;
      const annotation = annotationFor(test, r, this.collector.run, this.env);
      if (annotation) this.stream.write(`${formatAnnotation(annotation)}\n`);
    }
  }
}
