import type { KubeClient } from "../kube/client.ts";
import type { KubeObject, Resources } from "../kube/resources.ts";
import type { FailureDetail, Operation, OperationResult, SourceDocument } from "../model/index.ts";
import type { Bindings } from "../template/bindings.ts";

/** An object a test created, to delete when the test ends (reverse creation order). */
export interface CreatedObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** What an operation may use: the cluster, the test's namespace and bindings, and its own deadline. */
export interface OperationContext {
  resources: Resources;
  client: KubeClient;
  /** $KUBECONFIG for scripts and commands: selects the run's cluster and context. */
  kubeconfig: string;
  /** Directories put before $PATH for scripts, commands and helm: the pinned tools (helm) of the cache. */
  toolPath?: readonly string[];
  namespace: string;
  bindings: Bindings;
  /** Aborts at the operation's timeout or when the run is interrupted. */
  signal: AbortSignal;
  timeoutMs: number;
  /** Labels every object the run creates carries (run id, test id), for cleanup after a crash. */
  labels: Record<string, string>;
  /** Directory of the test file: relative paths in scripts and commands resolve from here. */
  baseDir: string;
  /** Records an object for deletion at the end of the test (unless skipDelete). */
  onCreated(object: CreatedObject): void;
  /**
   * Takes what a script or command left running in its process group (`kubectl port-forward ... &`):
   * the test calls `stop` at its end, after its cleanup, so it serves the test's later steps.
   */
  onLeftover(stop: () => Promise<void>): void;
  /** Deletion propagation for deletes the test performs. */
  propagation: "Orphan" | "Background" | "Foreground";
  /** Termination grace period forced on the pods of what apply and create write (Chainsaw's option). */
  forceTerminationGracePeriodMs?: number;
}

export interface OperationOutcome {
  status: "passed" | "failed";
  error?: FailureDetail;
  evaluations?: number;
  output?: OperationResult["output"];
  /** Bindings after the operation's `outputs`, for the operations after it. */
  bindings?: Bindings;
  /** Objects involved (for diagnostics on failure). */
  involved?: KubeObject[];
}

export type OperationExecutor<T extends Operation = Operation> = (
  operation: T,
  context: OperationContext,
) => Promise<OperationOutcome>;

/** The document's value as a Kubernetes object, with a clear error when it is not one. */
export function asObject(doc: SourceDocument, value: unknown): KubeObject {
  const object = value as Partial<KubeObject> | undefined;
  if (
    !object ||
    typeof object !== "object" ||
    typeof object.apiVersion !== "string" ||
    typeof object.kind !== "string"
  ) {
    throw new OperationError("a resource needs apiVersion and kind", doc.location);
  }
  object.metadata ??= {};
  return object as KubeObject;
}

/** A failure an operation reports with a location in the user's files. */
export class OperationError extends Error {
  override name = "OperationError";
  constructor(
    message: string,
    readonly location?: SourceDocument["location"],
    readonly detail?: Partial<FailureDetail>,
  ) {
    super(message);
  }
}
