import type {
  ApplyOperation,
  AssertOperation,
  DeleteOperation,
  Operation,
  SourceDocument,
} from "../model/index.ts";
import { OPERATIONS } from "../ops/registry.ts";
import { commandOperation } from "./kuttl-command.ts";
import type { ParsedTestAssert, ParsedTestStep } from "./kuttl-schema.ts";

/**
 * kuttl's constructs → operations, through each unit's kuttl conversions (src/ops/<op>/unit.ts).
 * What stays here is kuttl's own structure: which construct becomes which operations.
 */

/** TestStep `delete`: one operation per reference. */
export function deleteOperations(
  doc: SourceDocument,
  spec: ParsedTestStep,
  timeoutMs: number,
): DeleteOperation[] {
  return (spec.delete ?? []).map((ref, i) =>
    OPERATIONS.delete.formats.kuttl.stepDelete(doc, ["delete", i], ref, timeoutMs),
  );
}

/**
 * TestAssert `collectors`, run when the step fails (the step's catch): pod logs, namespace events or a
 * command. kuttl runs them through kubectl; kubeproof reads logs and events through the API.
 */
export function collectorOperations(
  doc: SourceDocument,
  spec: ParsedTestAssert,
  timeoutMs: number,
): Operation[] {
  return (spec.collectors ?? []).map((c, i) => {
    const location = doc.locate(["collectors", i]);
    const type = c.type ?? (c.command !== undefined ? "command" : "pod");
    if (type === "command") {
      return commandOperation(
        { command: c.command },
        { location, timeoutMs, continueOnError: true, retry: false },
      );
    }
    if (type === "events") return OPERATIONS.events.formats.kuttl.collector(c, location, timeoutMs);
    return OPERATIONS.podLogs.formats.kuttl.collector(c, location, timeoutMs);
  });
}

/** The step's objects, applied as kuttl applies them. */
export function applyOperations(docs: readonly SourceDocument[], timeoutMs: number): ApplyOperation[] {
  return OPERATIONS.apply.formats.kuttl.stepObjects(docs, timeoutMs);
}

/** TestAssert's resourceRefs with assertAll and assertAny, when it has expressions. */
export function expressionOperation(
  doc: SourceDocument,
  spec: ParsedTestAssert,
  timeoutMs: number,
): AssertOperation | undefined {
  const list = (key: "assertAll" | "assertAny") =>
    (spec[key] ?? []).map((a, i) => ({ expression: a.celExpr, location: doc.locate([key, i, "celExpr"]) }));
  const all = list("assertAll");
  const any = list("assertAny");
  if (all.length === 0 && any.length === 0) return undefined;
  const refs = (spec.resourceRefs ?? []).map((r) => ({ ...r }));
  const at = doc.locate([all.length > 0 ? "assertAll" : "assertAny"]);
  return OPERATIONS.assert.formats.kuttl.expressions(at, { refs, all, any }, timeoutMs);
}

/** Why kuttl could not parse a CEL expression, or undefined. */
export function celProblem(expression: string): string | undefined {
  return OPERATIONS.assert.formats.kuttl.celSyntaxError(expression);
}

/** Why kuttl's type-check refuses a CEL expression that parses, with `refs` its only variables. */
export function celCheckProblem(expression: string, refs: readonly string[]): string | undefined {
  return OPERATIONS.assert.formats.kuttl.celCheckError(expression, refs);
}

/** The step's assert or errors files. */
export function assertOperation(
  type: "assert" | "error",
  docs: readonly SourceDocument[],
  timeoutMs: number,
): AssertOperation {
  return OPERATIONS[type].formats.kuttl.files(docs, timeoutMs);
}
