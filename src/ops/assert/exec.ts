import type { KubeObject } from "../../kube/resources.ts";
import { describeObject } from "../../kube/resources.ts";
import { closestMatch } from "../../match/closest.ts";
import { renderDiff } from "../../match/diff.ts";
import { formatFailure, match, type MatchResult } from "../../match/match.ts";
import type { AssertOperation, FailureDetail, SourceDocument } from "../../model/index.ts";
import type { Bindings } from "../../template/bindings.ts";
import { templateResourceRef } from "../../template/template.ts";
import { identityQuery, operationBindings, querySubject, templateAt, withResourceId } from "../common.ts";
import { hold, poll } from "../hold.ts";
import { observe } from "../../kube/observe.ts";
import { runExpressions } from "./expressions.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";
import { asObject } from "../types.ts";
import { formatDuration } from "../../source/duration.ts";

/**
 * assert: some object matching each expected document's identity (name, or kind + labels) matches the
 * whole document. error: none does. Re-evaluated on every watch event until it holds (mode
 * `eventually`, the default), or checked for the whole timeout (`consistently`: must hold throughout;
 * `never`: must never hold). Missing objects and fields count as "not yet" while waiting.
 */
export async function runAssert(
  operation: AssertOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  if (operation.expressions !== undefined) return runExpressions(operation, operation.expressions, context);
  const bindings = operationBindings(context, operation.bindings);
  const results = await Promise.all(
    operation.resources.map((doc, index) =>
      assertDocument(operation, doc, withResourceId(bindings, index), context),
    ),
  );
  const failure = results.find((r) => r.status === "failed");
  const evaluations = results.reduce((sum, r) => sum + (r.evaluations ?? 0), 0);
  const involved = results.flatMap((r) => r.involved ?? []);
  return failure ? { ...failure, evaluations, involved } : { status: "passed", evaluations, involved };
}

async function assertDocument(
  operation: AssertOperation,
  doc: SourceDocument,
  bindings: Bindings,
  context: OperationContext,
): Promise<OperationOutcome> {
  const raw = structuredClone(doc.value) as Record<string, unknown>;
  const expected = operation.template ? templateAt(doc, () => templateResourceRef(raw, bindings)) : raw;
  if (!isResource(expected)) return assertBare(operation, doc, expected, bindings, context);
  const identity = asObject(doc, structuredClone(expected));
  const query = await identityQuery(identity, context);
  const wantMatch = operation.type === "assert";
  const mode = operation.type === "error" ? "eventually" : operation.mode;
  let last: KubeObject[] = [];
  let violated: KubeObject | undefined;
  // An error in the assertion itself (an undefined binding, a malformed key, incomparable types) cannot
  // fix itself by waiting: like Chainsaw, stop at once and report it.
  let broken: MatchResult | undefined;
  const anyMatches = (objects: KubeObject[]): KubeObject | undefined =>
    objects.find((object) => {
      const result = match(expected, object, { bindings, listMatch: operation.listMatch });
      if (!result.ok && result.failures.some((f) => f.fatal)) broken ??= result;
      return result.ok;
    });

  const { verdict, evaluations } = await hold(mode, (judge) =>
    observe(context.resources, query, context.signal, (objects) => {
      last = objects;
      const matching = anyMatches(objects);
      if (broken && !matching) return judge("broken");
      if (mode === "never" && matching) violated = matching;
      return judge(wantMatch ? matching !== undefined : matching === undefined);
    }),
  );

  const subject = querySubject(query);
  if (broken) {
    const failure = broken.failures.find((f) => f.fatal)!;
    return {
      status: "failed",
      evaluations,
      involved: last,
      error: {
        message: `the assertion cannot be evaluated: ${formatFailure(failure)}`,
        location: doc.locate(failure.path),
        subject,
      },
    };
  }
  if (verdict === "passed") return { status: "passed", evaluations, involved: last };

  // Failed: explain with the closest object, the failing keys and where they are in the file.
  let error: FailureDetail;
  if (mode === "never" || (operation.type === "error" && mode === "eventually")) {
    const offender = violated ?? anyMatches(last);
    error = {
      message:
        operation.type === "error"
          ? `${offender ? describeObject(offender) : subject} still matches, but the error operation expects no match (after ${formatDuration(context.timeoutMs)})`
          : `${offender ? describeObject(offender) : subject} matched, but mode "never" expects it never to`,
      location: doc.location,
      subject: offender ? describeObject(offender) : subject,
    };
  } else {
    error = explainMismatch(expected, last, doc, bindings, operation, subject, mode, context.timeoutMs);
  }
  return { status: "failed", error, evaluations, involved: last };
}

/** Chainsaw treats a document without apiVersion or kind as an assertion on no object at all. */
function isResource(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const { apiVersion, kind } = value as Record<string, unknown>;
  return typeof apiVersion === "string" && apiVersion !== "" && typeof kind === "string" && kind !== "";
}

const barePollMs = 100;

/**
 * An assertion tree that names no resource (`($values.env): poc`, `(x_k8s_list(...)): ...`): Chainsaw
 * evaluates it against null, so only expressions over bindings and cluster functions decide. Polled,
 * since nothing can be watched; the modes apply as for resources.
 */
async function assertBare(
  operation: AssertOperation,
  doc: SourceDocument,
  expected: unknown,
  bindings: Bindings,
  context: OperationContext,
): Promise<OperationOutcome> {
  const wantMatch = operation.type === "assert";
  const mode = operation.type === "error" ? "eventually" : operation.mode;
  const options = { bindings, listMatch: operation.listMatch };
  let result: MatchResult = { ok: false, failures: [] };
  const { verdict, evaluations } = await hold(mode, (judge) =>
    poll(context.signal, barePollMs, () => {
      result = match(expected, null, options);
      if (result.failures.some((f) => f.fatal)) return judge("broken");
      return judge(wantMatch ? result.ok : !result.ok);
    }),
  );
  if (verdict === "broken") {
    const fatal = result.failures.find((f) => f.fatal);
    return {
      status: "failed",
      evaluations,
      error: {
        message: `the assertion cannot be evaluated: ${fatal ? formatFailure(fatal) : "no match"}`,
        location: fatal ? doc.locate(fatal.path) : doc.location,
      },
    };
  }
  if (verdict === "passed") return { status: "passed", evaluations };
  const [first, ...rest] = result.failures;
  if (operation.type === "error" || mode === "never") {
    return {
      status: "failed",
      evaluations,
      error: {
        message:
          operation.type === "error"
            ? `the assertion still holds, but the error operation expects it not to (after ${formatDuration(context.timeoutMs)})`
            : `the assertion held, but mode "never" expects it never to`,
        location: doc.location,
      },
    };
  }
  const when = mode === "consistently" ? "stopped holding before the end of" : "did not hold within";
  return {
    status: "failed",
    evaluations,
    error: {
      message: `the assertion ${when} ${formatDuration(context.timeoutMs)}: ${first ? formatFailure(first) : "no match"}`,
      location: first ? doc.locate(first.path) : doc.location,
      more: rest.map((failure) => ({ message: formatFailure(failure), location: doc.locate(failure.path) })),
    },
  };
}

function explainMismatch(
  expected: unknown,
  candidates: KubeObject[],
  doc: SourceDocument,
  bindings: Bindings,
  operation: AssertOperation,
  subject: string,
  mode: string,
  timeoutMs: number,
): FailureDetail {
  const when = mode === "consistently" ? "stopped matching before the end of" : "did not match within";
  if (candidates.length === 0) {
    return {
      message: `${subject} not found (waited ${formatDuration(timeoutMs)})`,
      location: doc.location,
      subject,
    };
  }
  const closest = closestMatch(expected, candidates, { bindings, listMatch: operation.listMatch });
  const actual = closest?.candidate ?? candidates[0];
  const result: MatchResult =
    closest?.result ?? match(expected, actual, { bindings, listMatch: operation.listMatch });
  const [first, ...rest] = result.failures;
  const objectName = describeObject(actual);
  return {
    message: `${objectName} ${when} ${formatDuration(timeoutMs)}: ${first ? formatFailure(first) : "no match"}`,
    location: first ? doc.locate(first.path) : doc.location,
    diff: renderDiff(expected, actual),
    subject: objectName,
    more: rest.map((failure) => ({ message: formatFailure(failure), location: doc.locate(failure.path) })),
  };
}
