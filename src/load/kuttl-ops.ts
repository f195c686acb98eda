import type {
  ApplyOperation,
  AssertOperation,
  DeleteOperation,
  Operation,
  PatchOperation,
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

/** The step binding listing the objects the step's merge patch found (see `applyOperations`). */
export const EXISTING_BINDING = "kuttlExisting";
const OBJECT_KEY = "join('/', [apiVersion, kind, to_string(metadata.namespace), to_string(metadata.name)])";

/**
 * kuttl's CreateOrUpdate: create what does not exist, JSON-merge-patch what does, so that a later step
 * can change one field of an object and leave the rest. Server-side apply would not do: applying a
 * partial object again removes the fields the earlier apply set. The model has no create-or-patch
 * operation, so it takes two, per object:
 *
 * - a merge `patch` of the named objects that tolerates NotFound, and records each object it patched
 *   in `$kuttlExisting` (a step binding, initially empty);
 * - a `create` of every object that tolerates any error for an object recorded there (a partial object
 *   fails validation before the API server says AlreadyExists), and AlreadyExists (a race).
 *
 * A new object is created once and never patched, as in kuttl; a new object that cannot be created
 * fails the step with the API server's reason.
 */
export function applyOperations(
  docs: readonly SourceDocument[],
  timeoutMs: number,
): (PatchOperation | ApplyOperation)[] {
  const first = docs[0];
  if (first === undefined) return [];
  // A merge patch needs a name; objects with only generateName can only be created.
  const named = docs.filter(
    (d) => typeof (d.value as { metadata?: { name?: unknown } }).metadata?.name === "string",
  );
  const base = () => ({
    timeoutMs,
    bindings: [],
    outputs: [],
    template: false,
    continueOnError: false,
    dryRun: false,
  });
  const ops: (PatchOperation | ApplyOperation)[] = [];
  if (named[0] !== undefined) {
    ops.push({
      ...base(),
      type: "patch",
      location: named[0].location,
      description: "kuttl apply: merge-patch the objects that exist",
      resources: named,
      expect: [{ check: { [`($error == \`null\` || ends_with($error, ' not found'))`]: true } }],
      outputs: [{ name: EXISTING_BINDING, value: `([$${EXISTING_BINDING}, [${OBJECT_KEY}]][])` }],
    });
  }
  const tolerated = `contains($${EXISTING_BINDING}, ${OBJECT_KEY}) || ends_with($error, ' already exists')`;
  ops.push({
    ...base(),
    type: "create",
    location: first.location,
    description: "kuttl apply: create the objects that do not exist",
    resources: [...docs],
    expect: [{ check: { [`($error == \`null\` || ${tolerated})`]: true } }],
  });
  return ops;
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
