import { renderDiff } from "../../match/diff.ts";
import { formatFailure, match } from "../../match/match.ts";
import type { FailureDetail, HttpOperation } from "../../model/index.ts";
import type { Bindings } from "../../template/bindings.ts";
import { applyOutputs, operationBindings } from "../common.ts";
import { batchSummary, formatRequest, formatResponse } from "../incluster/failure.ts";
import { prepareRequest } from "../incluster/prepare.ts";
import type { PreparedRequest, ProbeResponse } from "../incluster/send.ts";
import { OperationError, type OperationContext, type OperationOutcome } from "../types.ts";
import { runBatch } from "./batch.ts";

/** A response's verdict: why it fails, or undefined when it passes. */
type Verdict = { reason: string; diff?: string } | undefined;

/**
 * Judges a response: a transport error always fails it; then `tree` (the check, or retry's until),
 * matched against the response with `$response` bound to it.
 */
function judge(tree: unknown, response: ProbeResponse, bindings: Bindings): Verdict {
  if (response.error !== null) return { reason: `no answer: ${response.error}` };
  if (tree === undefined) return undefined;
  const result = match(tree, response, { bindings: bindings.with("response", response) });
  if (result.ok) return undefined;
  return { reason: result.failures.map(formatFailure).join("; "), diff: renderDiff(tree, response) };
}

/**
 * http: prepares the request once (target, secrets, tokens, body, transport), sends the batch, then
 * judges each response with `check` and the batch with `checkBatch`. `$response` (the last) and
 * `$responses` (all, in order) are bound for `outputs` and the operations after.
 */
export async function runHttp(
  operation: HttpOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const request = await prepareRequest(operation.request, operation.transport, bindings, context);
  const untilTree = operation.retry?.until ?? operation.check;
  const responses = await runBatch(
    request,
    {
      repeat: operation.repeat,
      concurrency: operation.concurrency,
      ...(operation.spacingMs === undefined ? {} : { spacingMs: operation.spacingMs }),
      ...(operation.retry ? { retry: operation.retry } : {}),
      done: (response) => judge(untilTree, response, bindings) === undefined,
    },
    context,
  );
  const verdicts = responses.map((r) => judge(operation.check, r, bindings));
  const failures = verdicts.flatMap((v, index) => (v ? [{ index, ...v }] : []));
  const batch = { responses, count: responses.length, failed: failures.length };
  const scope = bindings
    .with("responses", responses)
    .with("response", responses[responses.length - 1] ?? null);
  const error =
    failures.length > 0
      ? responseFailure(operation, request, responses, failures)
      : batchFailure(operation, request, batch, scope);
  if (error) return { status: "failed", error, evaluations: responses.length };
  return {
    status: "passed",
    evaluations: responses.length,
    bindings: applyOutputs(
      operation.outputs,
      context.bindings.with("responses", responses).with("response", scope.get("response")),
      batch,
      scope,
    ),
  };
}

function responseFailure(
  operation: HttpOperation,
  request: PreparedRequest,
  responses: readonly ProbeResponse[],
  failures: readonly { index: number; reason: string; diff?: string }[],
): FailureDetail {
  const first = failures[0];
  if (!first) throw new OperationError("no failure to report");
  const response = responses[first.index];
  const single = responses.length === 1;
  const head = single
    ? `http: the response failed: ${first.reason}`
    : `http: request #${first.index + 1} of ${responses.length} failed: ${first.reason}`;
  const parts = [head, formatRequest(request)];
  if (response) parts.push(formatResponse(response, single ? "response" : `response #${first.index + 1}`));
  if (!single) parts.push(batchSummary(failures, responses.length));
  return {
    message: parts.join("\n"),
    location: operation.checkLocation ?? operation.location,
    ...(first.diff ? { diff: first.diff } : {}),
    subject: `${request.method} ${request.path}`,
  };
}

function batchFailure(
  operation: HttpOperation,
  request: PreparedRequest,
  batch: { responses: ProbeResponse[]; count: number; failed: number },
  scope: Bindings,
): FailureDetail | undefined {
  if (operation.checkBatch === undefined) return undefined;
  const result = match(operation.checkBatch, batch, { bindings: scope });
  if (result.ok) return undefined;
  const lines = [
    `http: the batch check failed: ${result.failures.map(formatFailure).join("; ")}`,
    formatRequest(request),
    `batch: ${batch.count} responses, statuses ${summarizeStatuses(batch.responses)}`,
  ];
  const last = batch.responses[batch.responses.length - 1];
  if (last) lines.push(formatResponse(last, "last response"));
  return {
    message: lines.join("\n"),
    location: operation.checkBatchLocation ?? operation.location,
    diff: renderDiff(operation.checkBatch, batch),
    subject: `${request.method} ${request.path} ×${batch.count}`,
  };
}

/** `200×18, 503×2`: the statuses of a batch at a glance. */
function summarizeStatuses(responses: readonly ProbeResponse[]): string {
  const counts = new Map<string, number>();
  for (const r of responses) {
    const key = r.status === null ? "no answer" : String(r.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()].map(([k, n]) => `${k}×${n}`).join(", ");
}
