import {
  ExpositionError,
  formatSelector,
  formatSeries,
  parseExposition,
  parseSelector,
  selectSamples,
  type Exposition,
  type Sample,
  type SeriesSelector,
} from "../../match/prometheus.ts";
import type {
  MetricsOperation,
  SeriesExpectation,
  SourceLocation,
  ValueComparison,
} from "../../model/index.ts";
import { templateString } from "../../template/template.ts";
import { operationBindings } from "../common.ts";
import { hold, poll } from "../hold.ts";
import { formatRequest, formatResponse } from "../incluster/failure.ts";
import { prepareRequest } from "../incluster/prepare.ts";
import { sendOnce, type ProbeResponse } from "../incluster/send.ts";
import { OperationError, type OperationContext, type OperationOutcome } from "../types.ts";

interface Expect {
  selector: SeriesSelector;
  value?: ValueComparison;
  count?: number;
  location: SourceLocation;
}

/** One scrape's verdict: what is wrong with it (empty: the expectations hold). */
interface Scrape {
  response: ProbeResponse;
  problems: { message: string; location?: SourceLocation }[];
}

function compile(
  list: readonly SeriesExpectation[],
  bindings: Parameters<typeof templateString>[1],
): Expect[] {
  return list.map((s) => {
    try {
      return {
        selector: parseSelector(templateString(s.selector, bindings)),
        location: s.location,
        ...(s.value ? { value: s.value } : {}),
        ...(s.count === undefined ? {} : { count: s.count }),
      };
    } catch (error) {
      if (error instanceof ExpositionError)
        throw new OperationError(
          `invalid series selector ${JSON.stringify(s.selector)}: ${error.message.replace(/^line 1: /, "")}`,
          s.location,
        );
      throw error;
    }
  });
}

const COMPARATORS: [keyof ValueComparison, string, (a: number, b: number) => boolean][] = [
  ["equals", "=", (a, b) => a === b],
  ["above", ">", (a, b) => a > b],
  ["atLeast", ">=", (a, b) => a >= b],
  ["below", "<", (a, b) => a < b],
  ["atMost", "<=", (a, b) => a <= b],
];

function valueProblem(sample: Sample, value: ValueComparison): string | undefined {
  for (const [key, symbol, holds] of COMPARATORS) {
    const bound = value[key];
    if (bound !== undefined && !holds(sample.value, bound))
      return `${formatSeries(sample.name, sample.labels)} is ${sample.value}, expected ${symbol} ${bound}`;
  }
  return undefined;
}

/** The series of the same name, to show next to a selector that matched none (the closest to a diff). */
function nearby(exposition: Exposition, name: string): string {
  const same = selectSamples(exposition, { name, matchers: [] });
  if (same.length === 0) return " (no series of that name)";
  const shown = same.slice(0, 3).map((s) => formatSeries(s.name, s.labels));
  return `; present: ${shown.join(", ")}${same.length > 3 ? ` and ${same.length - 3} more` : ""}`;
}

function judgeExposition(
  operation: MetricsOperation,
  exposition: Exposition,
  series: readonly Expect[],
  absent: readonly Expect[],
): Scrape["problems"] {
  const problems: Scrape["problems"] = [];
  for (const family of operation.families) {
    if (!exposition.families.has(family)) problems.push({ message: `family ${family} is absent` });
  }
  for (const expect of series) {
    const samples = selectSamples(exposition, expect.selector);
    const shown = formatSelector(expect.selector);
    if (expect.count !== undefined ? samples.length !== expect.count : samples.length === 0) {
      const wanted = expect.count === undefined ? "at least 1" : String(expect.count);
      problems.push({
        message: `${shown}: ${samples.length} series match, expected ${wanted}${samples.length === 0 ? nearby(exposition, expect.selector.name) : ""}`,
        location: expect.location,
      });
      continue;
    }
    const wrong = expect.value ? samples.map((s) => valueProblem(s, expect.value!)).find(Boolean) : undefined;
    if (wrong) problems.push({ message: wrong, location: expect.location });
  }
  for (const expect of absent) {
    const samples = selectSamples(exposition, expect.selector);
    if (samples.length > 0)
      problems.push({
        message: `${formatSelector(expect.selector)} must match nothing, matches ${samples
          .map((s) => formatSeries(s.name, s.labels))
          .slice(0, 3)
          .join(", ")}`,
        location: expect.location,
      });
  }
  return problems;
}

function judgeScrape(
  operation: MetricsOperation,
  response: ProbeResponse,
  series: readonly Expect[],
  absent: readonly Expect[],
): Scrape {
  if (response.error !== null) return { response, problems: [{ message: `no answer: ${response.error}` }] };
  if (response.status !== 200)
    return { response, problems: [{ message: `status ${response.status}, expected 200` }] };
  try {
    return { response, problems: judgeExposition(operation, parseExposition(response.body), series, absent) };
  } catch (error) {
    if (error instanceof ExpositionError)
      return { response, problems: [{ message: `the answer is not Prometheus text: ${error.message}` }] };
    throw error;
  }
}

/**
 * metrics: scrapes the target every `interval` and judges each scrape; `hold` turns the stream of
 * verdicts into eventually / consistently / never, the rule the assertions on objects use.
 */
export async function runMetrics(
  operation: MetricsOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const series = compile(operation.series, bindings);
  const absent = compile(operation.absent, bindings);
  const request = await prepareRequest(
    {
      target: operation.target,
      method: "GET",
      path: operation.path,
      scheme: operation.scheme,
      headers: [{ name: "Accept", value: { value: "text/plain" } }],
      requestTimeoutMs: operation.requestTimeoutMs,
      ...(operation.bearerToken ? { bearerToken: operation.bearerToken } : {}),
    },
    operation.transport,
    bindings,
    context,
  );
  let last: Scrape | undefined;
  const result = await hold(operation.mode, (judgeEvaluation) =>
    poll(context.signal, operation.intervalMs, async () => {
      const response = await sendOnce(request, context);
      // A scrape the deadline cut short is no evaluation: the stream has ended, not failed.
      if (context.signal.aborted && last !== undefined) return false;
      last = judgeScrape(operation, response, series, absent);
      return judgeEvaluation(last.problems.length === 0);
    }),
  );
  if (result.verdict === "passed") return { status: "passed", evaluations: result.evaluations };
  const scrape = last;
  const problems = scrape?.problems ?? [];
  const head = {
    eventually: `metrics: the expectations did not hold at any of ${result.evaluations} scrapes; at the last:`,
    consistently: `metrics: scrape ${result.evaluations} broke the expectations:`,
    never: `metrics: scrape ${result.evaluations} met the expectations, which must never hold`,
  }[operation.mode];
  const lines = [head, ...problems.map((p) => `  ${p.message}`), formatRequest(request)];
  // A scrape's body is long: the response shows its status and headers, and the body's start.
  if (scrape) lines.push(formatResponse(scrape.response));
  const first = problems.find((p) => p.location !== undefined);
  return {
    status: "failed",
    evaluations: result.evaluations,
    error: {
      message: lines.join("\n"),
      location: first?.location ?? operation.location,
      more: problems
        .slice(1)
        .flatMap((p) => (p.location ? [{ message: p.message, location: p.location }] : [])),
    },
  };
}
