import { delimiter } from "node:path";
import { ApiError } from "../kube/client.ts";
import { describeObject, type KubeObject, type ObjectQuery } from "../kube/resources.ts";
import { match, formatFailure } from "../match/match.ts";
import type { Binding, Expectation, FailureDetail, SourceDocument } from "../model/index.ts";
import type { Bindings } from "../template/bindings.ts";
import {
  applyBindings,
  BindingError,
  resolveBinding,
  templateResource,
  TemplateError,
} from "../template/template.ts";
import type { OperationContext, OperationOutcome } from "./types.ts";
import { asObject, OperationError } from "./types.ts";
import { errorMessage } from "../source/errors.ts";

/**
 * The environment of a process an operation (or a suite's set-up) starts: the run's pinned tools (helm)
 * first on PATH, as `$KUBECONFIG` selects the run's cluster and `$NAMESPACE` the test's namespace.
 */
export function processEnvironment(scope: {
  namespace: string;
  kubeconfig: string;
  toolPath?: readonly string[] | undefined;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NAMESPACE: scope.namespace, KUBECONFIG: scope.kubeconfig };
  if (scope.toolPath && scope.toolPath.length > 0)
    env.PATH = [...scope.toolPath, ...(process.env.PATH ? [process.env.PATH] : [])].join(delimiter);
  return env;
}

/** Bindings of an operation: the step's, then the operation's own (each sees the ones before it). */
export function operationBindings(context: OperationContext, own: readonly Binding[]): Bindings {
  return own.length > 0 ? applyBindings(own, context.bindings) : context.bindings;
}

/** Templates a resource document (when templating is on) and turns it into an object. */
export function resolveObject(doc: SourceDocument, bindings: Bindings, template: boolean): KubeObject {
  return asObject(
    doc,
    template
      ? templateAt(doc, () => templateResource(structuredClone(doc.value), bindings))
      : structuredClone(doc.value),
  );
}

/** Runs templating of `doc`, turning a template error into one that points at the failing node. */
export function templateAt<T>(doc: SourceDocument, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TemplateError)
      throw new OperationError(`templating failed: ${error.message}`, doc.locate(error.path));
    throw error;
  }
}
/** Fills the test namespace into namespaced objects that name none, and adds the run's labels. */
export async function prepareObject(object: KubeObject, context: OperationContext): Promise<KubeObject> {
  const info = await context.resources.info(object.apiVersion, object.kind);
  if (info.namespaced) object.metadata.namespace ??= context.namespace;
  else delete object.metadata.namespace;
  object.metadata.labels = { ...context.labels, ...object.metadata.labels };
  return object;
}

/**
 * `outputs`: bindings computed from the result, each only when its `match` (if any) matches. They are
 * evaluated in `scope` (which sees the operation's own bindings, `$stdout`, `$error`, ...) and each sees
 * the outputs before it; only the outputs are returned, for the caller to register where they belong.
 */
export function resolveOutputs(
  outputs: readonly Binding[],
  scope: Bindings,
  input: unknown,
): { name: string; value: unknown }[] {
  const resolved: { name: string; value: unknown }[] = [];
  let bindings = scope;
  outputs.forEach((output, index) => {
    try {
      if (output.match !== undefined && !match(output.match, input, { bindings }).ok) return;
      const { name, value } = resolveBinding(output, bindings, input);
      bindings = bindings.with(name, value);
      resolved.push({ name, value });
    } catch (error) {
      throw new BindingError(output.name, index, error);
    }
  });
  return resolved;
}

/** `outputs` registered on `outer` (the bindings later operations see), evaluated in `scope`. */
export function applyOutputs(
  outputs: readonly Binding[],
  outer: Bindings,
  input: unknown,
  scope: Bindings = outer,
): Bindings {
  return resolveOutputs(outputs, scope, input).reduce((out, { name, value }) => out.with(name, value), outer);
}

/**
 * Chainsaw's `$operation` binding for the n-th resource (from 0) of an operation that loads several:
 * `$operation.resourceId` counts from 1, next to the operation's own `$operation.id`.
 */
export function withResourceId(bindings: Bindings, index: number): Bindings {
  const current = bindings.get("operation");
  const base = current !== null && typeof current === "object" && !Array.isArray(current) ? current : {};
  return bindings.with("operation", { ...base, resourceId: index + 1 });
}

/** A Kubernetes API error as a one-line message: what the server said, about which object. */
export function apiErrorMessage(error: unknown, object?: KubeObject): string {
  const about = object ? `${describeObject(object)}: ` : "";
  if (error instanceof ApiError) return `${about}${error.reason}: ${error.message}`;
  return `${about}${errorMessage(error)}`;
}

/**
 * Chainsaw's `expect`: when expectations apply to `object` (their `match` matches it, or they have
 * none), the operation's outcome is decided by their `check` trees, evaluated with `$error` bound to
 * the error message (or null), instead of by the error itself. `error.raw` is what `$error` holds (the
 * API server's message, as in Chainsaw); `error.display` is what a failure shows.
 */
export function checkExpectations(
  expectations: readonly Expectation[],
  object: unknown,
  error: { raw: string; display: string } | undefined,
  bindings: Bindings,
  location: SourceDocument["location"],
): FailureDetail | undefined | "no-expectation" {
  const withError = bindings.with("error", error?.raw ?? null);
  const applicable = expectations.filter(
    (e) => e.match === undefined || match(e.match, object, { bindings: withError }).ok,
  );
  if (applicable.length === 0) return "no-expectation";
  for (const expectation of applicable) {
    const result = match(expectation.check, object ?? null, { bindings: withError });
    if (!result.ok) {
      return {
        message: `expectation not met${error ? ` (the operation failed: ${error.display})` : ""}: ${result.failures.map(formatFailure).join("; ")}`,
        location,
      };
    }
  }
  return undefined;
}

export function failed(message: string, detail: Partial<FailureDetail> = {}): OperationOutcome {
  return { status: "failed", error: { message, ...detail } };
}

/**
 * The objects a document names: by name, or by kind and the labels it gives literally (a label whose
 * value is an expression is matched later, not selected on); cluster-scoped kinds take no namespace.
 */
export async function identityQuery(identity: KubeObject, context: OperationContext): Promise<ObjectQuery> {
  const info = await context.resources.info(identity.apiVersion, identity.kind).catch(() => undefined);
  return {
    apiVersion: identity.apiVersion,
    kind: identity.kind,
    name: identity.metadata.name,
    namespace: info && !info.namespaced ? undefined : (identity.metadata.namespace ?? context.namespace),
    labelSelector: identity.metadata.name ? undefined : literalLabelSelector(identity.metadata.labels),
  };
}

/** What a query names, for messages: `Kind namespace/name` or `Kind namespace/(labels ...)`. */
export function querySubject(query: ObjectQuery): string {
  return `${query.kind} ${query.namespace ? `${query.namespace}/` : ""}${query.name ?? `(labels ${query.labelSelector ?? "any"})`}`;
}

function literalLabelSelector(labels: Record<string, string> | undefined): string | undefined {
  if (!labels) return undefined;
  const pairs = Object.entries(labels).filter(([, v]) => typeof v === "string" && !v.startsWith("("));
  return pairs.length > 0 ? pairs.map(([k, v]) => `${k}=${v}`).join(",") : undefined;
}
