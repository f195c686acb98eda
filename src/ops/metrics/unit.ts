import * as z from "zod";
import type { MetricsOperation, ProbeTarget, SeriesExpectation } from "../../model/index.ts";
import { duration } from "../../source/schema-kit.ts";
import { defined } from "../convert-parts.ts";
import {
  podRefIssue,
  probeTarget,
  requestTimeout,
  secretSource,
  secretSourceSchema,
  targetFields,
  transportField,
} from "../incluster/schema.ts";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../http/unit.ts";
import { common, exactlyOneOf, withBindings } from "../schema-parts.ts";
import { defineUnit, type ConversionContext } from "../unit.ts";
import { runMetrics } from "./exec.ts";

/** metrics: scrape Prometheus text and assert families and series, eventually, consistently or never. */

/** The EPP suite's metrics poll: every 5 s. */
export const DEFAULT_METRICS_INTERVAL_MS = 5000;

const comparison = z
  .strictObject({
    equals: z.number().optional(),
    above: z.number().optional(),
    atLeast: z.number().optional(),
    below: z.number().optional(),
    atMost: z.number().optional(),
  })
  .describe("Every matching sample's value must satisfy each comparison given.");

const seriesEntry = z.union([
  z.string().min(1).describe('A selector: name{label="v",other=~"re"} (labels in any order).'),
  z.strictObject({
    selector: z.string().min(1),
    value: z.union([z.number(), comparison]).optional(),
    count: z.number().int().min(0).optional().describe("Exactly this many series must match."),
  }),
]);

const schema = z
  .strictObject({
    ...common,
    ...withBindings,
    ...targetFields,
    apiServer: z.literal(true).optional().describe("The API server's own /metrics."),
    node: z
      .strictObject({ name: z.string().min(1) })
      .optional()
      .describe("A node's kubelet metrics, through the API server's node proxy."),
    path: z.string().optional().describe("Path (default /metrics)."),
    scheme: z.enum(["http", "https"]).optional(),
    bearerToken: secretSourceSchema.optional(),
    transport: transportField,
    mode: z
      .enum(["eventually", "consistently", "never"])
      .optional()
      .describe("eventually (default): holds at one scrape; consistently: at every scrape; never: at none."),
    interval: duration("Time between scrapes (default 5s).").optional(),
    requestTimeout,
    families: z.array(z.string().min(1)).optional().describe("Metric families that must be present."),
    series: z.array(seriesEntry).optional().describe("Series that must be present (and their values)."),
    absent: z.array(z.string().min(1)).optional().describe("Selectors no series may match."),
  })
  .superRefine(exactlyOneOf(["service", "pod", "url", "apiServer", "node"], "metrics"))
  .superRefine((v, ctx) => podRefIssue(v.pod, ctx, ["pod"]));

type Body = z.output<typeof schema>;

function targetOf(v: Body): ProbeTarget {
  if (v.apiServer) return { kind: "apiServer" };
  if (v.node) return { kind: "node", name: v.node.name };
  return probeTarget(v);
}

function seriesOf(v: Body, cc: ConversionContext): SeriesExpectation[] {
  return (v.series ?? []).map((entry, i) => {
    const location = cc.doc.locate([...cc.at, "series", i]);
    if (typeof entry === "string") return { selector: entry, location };
    const value = typeof entry.value === "number" ? { equals: entry.value } : entry.value;
    return { selector: entry.selector, location, ...defined({ value, count: entry.count }) };
  });
}

function convert(v: Body, cc: ConversionContext): MetricsOperation {
  return {
    ...cc.base(v),
    type: "metrics",
    target: targetOf(v),
    path: v.path ?? "/metrics",
    scheme: v.scheme ?? "http",
    transport: v.transport ?? "auto",
    mode: v.mode ?? "eventually",
    intervalMs: v.interval ?? DEFAULT_METRICS_INTERVAL_MS,
    families: v.families ?? [],
    series: seriesOf(v, cc),
    absent: (v.absent ?? []).map((selector, i) => ({
      selector,
      location: cc.doc.locate([...cc.at, "absent", i]),
    })),
    requestTimeoutMs: v.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ...defined({ bearerToken: v.bearerToken && secretSource(v.bearerToken) }),
  };
}

/** Timeout: the `assert` class, as any condition waited for (the EPP suite's "ready" class). */
export const metricsUnit = defineUnit({
  type: "metrics",
  dialects: ["kubeproof"],
  inCatch: false,
  schema: () => schema,
  convert,
  timeout: { configured: "assert" },
  exec: runMetrics,
});
