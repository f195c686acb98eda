import * as z from "zod";
import type { HttpOperation } from "../../model/index.ts";
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
import { common, exactlyOneOf, withBindings, withOutputs, atMostOne } from "../schema-parts.ts";
import { defineUnit, type ConversionContext } from "../unit.ts";
import { runHttp } from "./exec.ts";

/** http: requests from inside the cluster network, one or a batch, with checks on each and on all. */

/** The EPP suite's curl timeout, and what a request gets unless it says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const headerValue = z.union([z.string(), z.number(), z.boolean(), secretSourceSchema]);

const schema = z
  .strictObject({
    ...common,
    ...withBindings,
    ...withOutputs,
    ...targetFields,
    method: z
      .string()
      .regex(/^[A-Z]+$/)
      .optional()
      .describe("HTTP method (default GET)."),
    path: z.string().optional().describe("Path and query, from / (default /)."),
    scheme: z.enum(["http", "https"]).optional().describe("http (default) or https."),
    headers: z
      .record(z.string(), headerValue)
      .optional()
      .describe(
        "Request headers: a value (may be an (expression)), or {secret: ...} / {serviceAccount: ...}.",
      ),
    bearerToken: secretSourceSchema
      .optional()
      .describe("Authorization: Bearer from a Secret's key (waits until it is filled) or a minted token."),
    body: z.unknown().optional().describe("A JSON body (a tree; its (expressions) are evaluated)."),
    bodyText: z.string().optional().describe("A text body, sent as written."),
    requestTimeout,
    repeat: z.number().int().min(1).optional().describe("Requests in the batch (default 1)."),
    concurrency: z.number().int().min(1).optional().describe("Requests in flight at once (default 1)."),
    spacing: duration("Time between the starts of two requests, e.g. 100ms.").optional(),
    retry: z
      .strictObject({
        attempts: z.number().int().min(1).describe("Attempts in all, the first included."),
        backoff: duration("Pause between attempts (default 1s).").optional(),
        until: z
          .unknown()
          .optional()
          .describe("Assertion tree on the response to retry until (default: check)."),
      })
      .optional(),
    transport: transportField,
    check: z
      .unknown()
      .optional()
      .describe("Assertion tree on each response (status, headers, body, json, error)."),
    checkBatch: z.unknown().optional().describe("Assertion tree on {responses, count, failed}."),
  })
  .superRefine(exactlyOneOf(["service", "pod", "url"], "http"))
  .superRefine(atMostOne(["body", "bodyText"], "http"))
  .superRefine((v, ctx) => podRefIssue(v.pod, ctx, ["pod"]));

type Body = z.output<typeof schema>;

function headersOf(v: Body): HttpOperation["request"]["headers"] {
  return Object.entries(v.headers ?? {}).map(([name, value]) => ({
    name,
    value: typeof value === "object" ? { from: secretSource(value) } : { value: String(value) },
  }));
}

function convert(v: Body, cc: ConversionContext): HttpOperation {
  const at = (key: string) => cc.doc.locate([...cc.at, key]);
  return {
    ...cc.base(v),
    type: "http",
    request: {
      target: probeTarget(v),
      method: v.method ?? (v.body !== undefined || v.bodyText !== undefined ? "POST" : "GET"),
      path: v.path ?? "",
      scheme: v.scheme ?? "http",
      headers: headersOf(v),
      requestTimeoutMs: v.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT_MS,
      ...defined({
        bearerToken: v.bearerToken && secretSource(v.bearerToken),
        body:
          v.body !== undefined
            ? { json: v.body }
            : v.bodyText !== undefined
              ? { text: v.bodyText }
              : undefined,
      }),
    },
    transport: v.transport ?? "auto",
    repeat: v.repeat ?? 1,
    concurrency: v.concurrency ?? 1,
    ...defined({
      spacingMs: v.spacing,
      retry: v.retry && {
        attempts: v.retry.attempts,
        backoffMs: v.retry.backoff ?? 1000,
        ...(v.retry.until === undefined ? {} : { until: v.retry.until }),
      },
    }),
    ...(v.check === undefined ? {} : { check: v.check, checkLocation: at("check") }),
    ...(v.checkBatch === undefined ? {} : { checkBatch: v.checkBatch, checkBatchLocation: at("checkBatch") }),
  };
}

/**
 * Timeout: the configured `exec` class, as a script's: a request is work done in the cluster. Each
 * request has its own `requestTimeout` inside it (docs/probes.md maps the EPP suite's classes).
 */
export const httpUnit = defineUnit({
  type: "http",
  dialects: ["kubeproof"],
  inCatch: false,
  schema: () => schema,
  convert,
  timeout: { configured: "exec" },
  exec: runHttp,
});
