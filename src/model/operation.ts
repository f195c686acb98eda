import type { ExecOperation, HttpOperation, MetricsOperation } from "./probes.ts";
import type { SourceDocument, SourceLocation } from "./source.ts";

/** The expression languages of Chainsaw's `compiler`: JMESPath and CEL. */
export type ExpressionLanguage = "jp" | "cel";

/** A user binding: `name` is used as `$name`; `value` may hold `(jmespath)` expressions. */
export interface Binding {
  name: string;
  value: unknown;
  /** Chainsaw's binding `compiler`: the language of its expressions that name none. */
  compiler?: ExpressionLanguage;
  /** Chainsaw `outputs[].match`: the output is bound only when this assertion tree matches the result. */
  match?: unknown;
}

/** Kubernetes deletion propagation (Chainsaw's `deletionPropagationPolicy`). */
export type DeletionPropagation = "Orphan" | "Background" | "Foreground";

/** Chainsaw's `expect` entry: when `match` matches the result, `check` must hold. */
export interface Expectation {
  match?: unknown;
  check: unknown;
}

/** A reference to existing objects, as in `delete.ref` or `wait`/`get`. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  /** Label selector string, e.g. `app=web,tier!=db`. */
  selector?: string;
}

/**
 * Chainsaw's `clusters` entry: a cluster by kubeconfig file (absolute once loaded) and context (the
 * file's current context when absent).
 */
export interface ClusterDefinition {
  kubeconfig: string;
  context?: string;
}

/** Chainsaw's multi-cluster fields of a test, step or operation. */
export interface ClusterSelection {
  /** Chainsaw's `cluster`: a name from `clusters` (here or further out), or a (jmespath) expression giving one; empty is the run's cluster. */
  cluster?: string;
  /** Chainsaw's `clusters`: names defined here, for this and what it holds. */
  clusters?: Record<string, ClusterDefinition>;
}

export interface OperationBase extends ClusterSelection {
  /** Where the operation is written, for messages and copy-pasteable ids. */
  location: SourceLocation;
  description?: string;
  /** Per-operation timeout in milliseconds (overrides step, test and config defaults). */
  timeoutMs?: number;
  bindings: Binding[];
  /** Chainsaw `outputs`: bindings computed from the operation's result, visible to later operations. */
  outputs: Binding[];
  /** Whether resources are templated (Chainsaw's `template`, default true). */
  template: boolean;
  /** Chainsaw's `continueOnError`. */
  continueOnError: boolean;
  /** Chainsaw's operation `compiler`: the language of its expressions that name none. */
  compiler?: ExpressionLanguage;
  /**
   * kubeproof's `when`: run only when the test so far has this outcome (meant for cleanup, finally
   * and catch; vk-test-set's `clean_configs[].condition`). Absent: always.
   */
  when?: RunCondition;
}

/** When an operation runs, by the outcome of the test so far. */
export type RunCondition = "always" | "never" | "onSuccess" | "onFailure";

/** Resources come inline or from files; either way they are parsed at load time with positions. */
export interface ResourceOperationBase extends OperationBase {
  resources: SourceDocument[];
  /**
   * A kuttl `.gotmpl.yaml` file whose rendering needs the test's namespace: `resources` are then
   * rendered from it when the operation runs (at load time they hold a rendering with a stand-in
   * namespace, which checked the file).
   */
  goTemplate?: GoTemplateSource;
}

/** Go text/template source and the data besides `.Namespace` that it is executed with. */
export interface GoTemplateSource {
  /** The file as messages show it. */
  file: string;
  text: string;
  /** kuttl's `--template-var` values: the template's `.Vars`. */
  vars: Record<string, unknown>;
}

/** How a list in an assertion matches: Chainsaw's exact order (default) or "contains, any order". */
export type ListMatch = "exact" | "contains";

/** When an assertion must hold: once (default), for its whole timeout, or never within it. */
export type AssertMode = "eventually" | "consistently" | "never";

export interface ApplyOperation extends ResourceOperationBase {
  type: "apply" | "create" | "update";
  dryRun: boolean;
  expect: Expectation[];
}

export interface PatchOperation extends ResourceOperationBase {
  type: "patch";
  dryRun: boolean;
  expect: Expectation[];
  /** Chainsaw's `patch.subresource`: patch this subresource (`status`, `scale`) instead of the object. */
  subresource?: string;
}

export interface DeleteOperation extends OperationBase {
  type: "delete";
  ref?: ObjectRef;
  resources: SourceDocument[];
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  expect: Expectation[];
  /**
   * What the delete waits for: every object gone (the default, as Chainsaw and kuttl), or only the
   * objects finalizers hold (vk-test-set's clean_configs: upstream does not wait at all, and a pod
   * in its grace period, or that its kubelet is still tearing down, goes away on its own).
   */
  waitFor?: "gone" | "finalizers";
}

export interface AssertOperation extends ResourceOperationBase {
  type: "assert" | "error";
  listMatch: ListMatch;
  mode: AssertMode;
  /** kuttl's TestAssert CEL assertions, checked with (and like) the documents. */
  expressions?: AssertExpressions;
}

/** kuttl's `resourceRefs`: an object fetched by name and bound to the variable `ref`. */
export interface ExpressionRef {
  ref: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** kuttl's `assertAll` (each must be true) and `assertAny` (one must be), over its resourceRefs. */
export interface AssertExpressions {
  refs: ExpressionRef[];
  all: { expression: string; location: SourceLocation }[];
  any: { expression: string; location: SourceLocation }[];
}

export type WaitFor =
  | { condition: { name: string; value?: string } }
  | { deletion: true }
  | { creation: true }
  | { jsonPath: { path: string; value?: string } };

export interface WaitOperation extends OperationBase {
  type: "wait";
  ref: ObjectRef;
  for: WaitFor;
  /** Output format of what is printed while waiting (Chainsaw's `wait.format`). */
  format?: "json" | "yaml";
}

export interface SleepOperation extends OperationBase {
  type: "sleep";
  durationMs: number;
}

export interface EnvVar {
  name: string;
  value: string;
}

export interface ProcessOperationBase extends OperationBase {
  env: EnvVar[];
  workDir?: string;
  check?: unknown;
  skipLogOutput: boolean;
  /** Chainsaw's `skipCommandOutput`: do not echo the command line itself in the logs. */
  skipCommandOutput?: boolean;
  /**
   * How a failure names the process when what runs is not what the user wrote (kuttl's commands run
   * as scripts, its assert commands inside a retry loop): `command "kubectl get cm x"`.
   */
  label?: string;
}

export interface ScriptOperation extends ProcessOperationBase {
  type: "script";
  content: string;
  shell?: string;
  shellArgs?: string[];
}

export interface CommandOperation extends ProcessOperationBase {
  type: "command";
  entrypoint: string;
  args: string[];
}

export interface GetOperation extends OperationBase {
  type: "get" | "describe";
  ref: ObjectRef;
  format?: "json" | "yaml";
  showEvents?: boolean;
}

export interface EventsOperation extends OperationBase {
  type: "events";
  name?: string;
  namespace?: string;
  selector?: string;
  format?: "json" | "yaml";
}

export interface PodLogsOperation extends OperationBase {
  type: "podLogs";
  name?: string;
  namespace?: string;
  selector?: string;
  container?: string;
  tail?: number;
}

/** kubeproof's `helm`: `helm upgrade --install` of a chart; what the release made is deleted at cleanup. */
export interface HelmOperation extends OperationBase {
  type: "helm";
  release: string;
  /** A chart directory or packaged `.tgz`, relative to the test's directory. */
  chart: string;
  /** The release's namespace (default: the test's). */
  namespace?: string;
  /** Inline values, given to helm after `valuesFiles` (so they win). */
  values?: Record<string, unknown>;
  /** Values files, relative to the test's directory, in order. */
  valuesFiles: string[];
  /** helm's `--wait`: the release's resources ready before the operation passes (default true). */
  wait: boolean;
  /** helm's `--skip-crds`. */
  skipCrds: boolean;
}

/** How `assertLogs` judges the matches of its regex in the log. */
export type LogOperator = "Exists" | "CountAtLeast" | "CountAtMost" | "CountExactly" | "Is";

/**
 * kubeproof's `assertLogs`: a regex over a container's log, re-evaluated as the log streams in.
 * With a selector, every matching pod (at least one) must satisfy it.
 */
export interface AssertLogsOperation extends OperationBase {
  type: "assertLogs";
  name?: string;
  /** Every pod whose name starts with this (Job pods: `my-job-`). */
  namePrefix?: string;
  namespace?: string;
  selector?: string;
  container?: string;
  /** A JavaScript regular expression (the vk-test-set loader translates Python's). */
  regex: string;
  /** Regex flags (`i`, `m`, `s`, `u`); `g` is implied. */
  flags?: string;
  operator: LogOperator;
  /** Count for the Count operators, the expected match (or first group) for `Is`. */
  value?: string | number;
  /**
   * A pod that does not exist, or whose container has not started: wait (default), or fail at once
   * (vk-test-set's upstream reads the log then and does not retry the API's error).
   */
  missing?: "wait" | "fail";
}

export type PodPhase = "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";

/**
 * kubeproof's `assertPodPhase`: the pod reaches `phase`; a pod that turns `Failed` fails it at once
 * unless `Failed` is the phase expected.
 */
export interface AssertPodPhaseOperation extends OperationBase {
  type: "assertPodPhase";
  name?: string;
  /** Every pod whose name starts with this (Job pods: `my-job-`). */
  namePrefix?: string;
  namespace?: string;
  selector?: string;
  phase: PodPhase;
  /** A pod that does not exist: wait for it (default), or fail at once (vk-test-set's upstream). */
  missing: "wait" | "fail";
}

/**
 * Every operation the runner knows. Each type has its unit (schema, conversions, timeout class,
 * executor) in src/ops/registry.ts; the compiler refuses a type added here without one.
 */
/** Chainsaw's lookup: the objects the documents name exist; `outputs` see the one found. */
export interface LookupOperation extends ResourceOperationBase {
  type: "lookup";
}

export type Operation =
  | ApplyOperation
  | LookupOperation
  | PatchOperation
  | DeleteOperation
  | AssertOperation
  | WaitOperation
  | SleepOperation
  | ScriptOperation
  | CommandOperation
  | GetOperation
  | EventsOperation
  | PodLogsOperation
  | HelmOperation
  | HttpOperation
  | MetricsOperation
  | ExecOperation
  | AssertLogsOperation
  | AssertPodPhaseOperation;

export type OperationType = Operation["type"];
