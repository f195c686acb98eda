import { DotReporter } from "./dot.ts";
import { GithubReporter } from "./github.ts";
import { HtmlReporter } from "./html/reporter.ts";
import { JsonReporter } from "./json.ts";
import { JUnitReporter } from "./junit.ts";
import { LineReporter } from "./line.ts";
import { ListReporter } from "./list.ts";
import type { ReporterOptions } from "./options.ts";
import { Reporters, type Reporter } from "./reporter.ts";

export type { Reporter } from "./reporter.ts";
export { Reporters } from "./reporter.ts";
export type { ReporterOptions } from "./options.ts";
export { DotReporter, GithubReporter, HtmlReporter, JsonReporter, JUnitReporter, LineReporter, ListReporter };
export { buildHtmlReport, type HtmlReportData } from "./html/data.ts";
export { renderHtmlReport } from "./html/render.ts";
export { buildCtrfReport, type CtrfReport } from "./json.ts";
export { buildJUnitXml } from "./junit.ts";
export { formatFailure, formatTestDetails } from "./failure-format.ts";
export { formatSummary } from "./summary.ts";

type Factory = (options: ReporterOptions) => Reporter;

/** Terminal reporters write to the stream; file reporters take `name=path` to choose their file. */
const REPORTERS: Record<string, { create: Factory; file: boolean }> = {
  list: { create: (o) => new ListReporter(o), file: false },
  line: { create: (o) => new LineReporter(o), file: false },
  dot: { create: (o) => new DotReporter(o), file: false },
  junit: { create: (o) => new JUnitReporter(o), file: true },
  json: { create: (o) => new JsonReporter(o), file: true },
  html: { create: (o) => new HtmlReporter(o), file: true },
  github: { create: (o) => new GithubReporter(o), file: false },
};

export const REPORTER_NAMES: readonly string[] = Object.keys(REPORTERS);

/** A reporter name the CLI cannot use; the CLI turns it into a usage error (exit 2). */
export class ReporterNameError extends Error {
  override name = "ReporterNameError";
}

export interface ReporterSpec {
  name: string;
  outputFile?: string;
}

/**
 * `list`, `junit=out/junit.xml`, or several separated by commas (`list,junit`), as `--reporter` takes
 * them. Throws ReporterNameError naming the valid reporters.
 */
export function parseReporterSpecs(names: readonly string[]): ReporterSpec[] {
  const specs: ReporterSpec[] = [];
  for (const raw of names.flatMap((n) => n.split(","))) {
    const text = raw.trim();
    if (text === "") continue;
    const eq = text.indexOf("=");
    const name = (eq < 0 ? text : text.slice(0, eq)).trim();
    const outputFile = eq < 0 ? undefined : text.slice(eq + 1).trim();
    const known = REPORTERS[name];
    if (!known) {
      throw new ReporterNameError(
        `unknown reporter "${name}": use one of ${REPORTER_NAMES.join(", ")} (file reporters take a path, as in junit=out/junit.xml)`,
      );
    }
    if (outputFile !== undefined) {
      if (!known.file) {
        throw new ReporterNameError(
          `reporter "${name}" writes to the terminal and takes no file; only junit, json and html take "=path"`,
        );
      }
      if (outputFile === "") throw new ReporterNameError(`reporter "${name}=" needs a path after "="`);
    }
    specs.push(outputFile === undefined ? { name } : { name, outputFile });
  }
  return specs;
}

/**
 * Builds the reporters named on the command line, fanned out in the given order. Output files come
 * only from `name=path`: one `outputFile` for all would make junit and json overwrite each other.
 */
export function createReporters(names: readonly string[], options: ReporterOptions): Reporters {
  const { outputFile: _shared, ...base } = options;
  const reporters = parseReporterSpecs(names).map((spec) => {
    const known = REPORTERS[spec.name];
    if (!known) throw new ReporterNameError(`unknown reporter "${spec.name}"`);
    return known.create(spec.outputFile === undefined ? base : { ...base, outputFile: spec.outputFile });
  });
  return new Reporters(reporters);
}

/** Playwright's defaults: `list` in a terminal, `line` otherwise, plus `github` on GitHub Actions. */
export function defaultReporterNames(context: { isTTY: boolean; env: NodeJS.ProcessEnv }): string[] {
  const names = [context.isTTY ? "list" : "line"];
  if (context.env.GITHUB_ACTIONS === "true") names.push("github");
  return names;
}
