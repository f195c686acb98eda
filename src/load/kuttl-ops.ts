import type {
  ApplyOperation,
  AssertOperation,
  DeleteOperation,
  Operation,
  PathSegment,
  SourceDocument,
} from "../model/index.ts";
import { defined } from "./chainsaw-ops.ts";
import { commandOperation } from "./kuttl-command.ts";
import type { ParsedTestAssert, ParsedTestStep } from "./kuttl-schema.ts";

/** The fields kuttl has no say in; fresh arrays for each operation. */
function base(): Pick<DeleteOperation, "bindings" | "outputs" | "template" | "continueOnError"> {
  return { bindings: [], outputs: [], template: false, continueOnError: false };
}

/**
 * TestStep `delete`: one operation per reference, each deleting by name, else by labels, else every
 * object of the kind in the namespace, then waiting until they are gone (kuttl's DeleteExisting).
 * Objects that do not exist are fine, as in kuttl.
 */
export function deleteOperations(
  doc: SourceDocument,
  spec: ParsedTestStep,
  timeoutMs: number,
): DeleteOperation[] {
  return (spec.delete ?? []).map((ref, i) => {
    const at: PathSegment[] = ["delete", i];
    const metadata = defined({ name: ref.name, namespace: ref.namespace, labels: ref.labels ?? undefined });
    // The reference is flat (name, labels); the delete operation reads an object (metadata.name…).
    const target: SourceDocument = {
      value: { apiVersion: ref.apiVersion, kind: ref.kind, metadata },
      location: doc.locate(at),
      locate: (path) => doc.locate([...at, ...(path[0] === "metadata" ? path.slice(1) : path)]),
    };
    return {
      ...base(),
      type: "delete",
      location: doc.locate(at),
      timeoutMs,
      resources: [target],
      expect: [],
    };
  });
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
  const ops: Operation[] = [];
  (spec.collectors ?? []).forEach((c, i) => {
    const at: PathSegment[] = ["collectors", i];
    const location = doc.locate(at);
    const type = c.type ?? (c.command !== undefined ? "command" : "pod");
    if (type === "command") {
      ops.push(
        commandOperation(
          { command: c.command },
          { location, timeoutMs, continueOnError: true, retry: false },
        ),
      );
    } else if (type === "events") {
      ops.push({
        ...base(),
        type: "events",
        location,
        timeoutMs,
        ...defined({ name: c.pod, namespace: c.namespace }),
      });
    } else {
      // kubectl's default, which kuttl documents: the last 10 lines with a selector, all of a named pod.
      const tail = c.tail !== undefined && c.tail > 0 ? c.tail : c.pod === undefined ? 10 : undefined;
      ops.push({
        ...base(),
        type: "podLogs",
        location,
        timeoutMs,
        ...defined({
          name: c.pod,
          namespace: c.namespace,
          selector: c.selector,
          container: c.container,
          tail,
        }),
      });
    }
  });
  return ops;
}

/**
 * kuttl applies a step's objects by creating what is missing and JSON-merge-patching what exists, so
 * a later step may hold only the fields it changes: exactly kubeproof's `apply`.
 */
export function applyOperations(docs: readonly SourceDocument[], timeoutMs: number): ApplyOperation[] {
  const first = docs[0];
  if (first === undefined) return [];
  return [
    {
      type: "apply",
      location: first.location,
      description: "kuttl apply: create, or merge-patch what exists",
      resources: [...docs],
      timeoutMs,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      dryRun: false,
      expect: [],
    },
  ];
}

export function assertOperation(
  type: "assert" | "error",
  docs: readonly SourceDocument[],
  timeoutMs: number,
): AssertOperation {
  const first = docs[0];
  return {
    type,
    location: first?.location ?? { file: "", line: 0, col: 0 },
    timeoutMs,
    bindings: [],
    outputs: [],
    template: false,
    continueOnError: false,
    resources: docs.map(literalDocument),
    listMatch: "exact",
    mode: "eventually",
  };
}

/**
 * kuttl compares asserted values literally; kubeproof's matcher reads `(expr)`, `~x.` and `-> x` as
 * Chainsaw expressions. Such strings (keys or values) are wrapped in `\…\`, the matcher's literal escape.
 */
function literalDocument(doc: SourceDocument): SourceDocument {
  const value = escapeLiterals(doc.value);
  if (value === doc.value) return doc;
  return {
    value,
    location: doc.location,
    locate: (path) =>
      doc.locate(path.map((s) => (typeof s === "string" && LITERAL_ESCAPE.test(s) ? s.slice(1, -1) : s))),
  };
}

const LITERAL_ESCAPE = /^\\.+\\$/;
const EXPRESSION_LIKE = /^~|->\s*\w+$|^\(.+\)$|^\\.+\\$/;

function escapeLiterals(value: unknown): unknown {
  if (typeof value === "string") return escape(value);
  if (Array.isArray(value)) {
    const items = value.map(escapeLiterals);
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [escape(k), escapeLiterals(v)] as const);
    const changed = entries.some(([k, v]) => !(k in value) || v !== (value as Record<string, unknown>)[k]);
    return changed ? Object.fromEntries(entries) : value;
  }
  return value;
}

/** Single-line strings only: the matcher's escape cannot span lines. */
function escape(text: string): string {
  return !text.includes("\n") && EXPRESSION_LIKE.test(text) ? `\\${text}\\` : text;
}
