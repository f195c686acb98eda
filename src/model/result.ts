import type { OperationType } from "./operation.ts";
import type { SourceLocation } from "./source.ts";
import type { TestFormat } from "./test.ts";

/** Why something failed, precise enough to act on without re-running. */
export interface FailureDetail {
  message: string;
  /** Where in the user's files the failing key, operation or step is (`file:line:col`). */
  location?: SourceLocation;
  /** Unified diff of expected vs the closest actual object (assertions). */
  diff?: string;
  /** The object the diff was taken against (`apiVersion/kind namespace/name`). */
  subject?: string;
  /** Further failures of the same operation (all failing keys of an assertion, say). */
  more?: { message: string; location?: SourceLocation }[];
}

export type Status = "passed" | "failed" | "skipped" | "interrupted";

export interface OperationResult {
  type: OperationType;
  location: SourceLocation;
  description?: string;
  status: Status;
  durationMs: number;
  /** Attempts of a waiting operation (assert, error, wait), for speed diagnostics. */
  evaluations?: number;
  error?: FailureDetail;
  /** Process output (script, command) or printed resources (get, describe, events, podLogs). */
  output?: { stdout?: string; stderr?: string };
}

export type StepPhase = "try" | "catch" | "finally" | "cleanup";

export interface StepResult {
  name: string;
  location: SourceLocation;
  status: Status;
  durationMs: number;
  operations: (OperationResult & { phase: StepPhase })[];
}

/** What reporters know of a test before it runs (a subset of the model, stable across retries). */
export interface TestInfo {
  /** `relative/path.yaml::name`: stable when lines move; copy-pasteable to `kubeproof test`. */
  id: string;
  name: string;
  location: SourceLocation;
  format: TestFormat;
  labels: Record<string, string>;
  stepNames: string[];
}

export type TestStatus = "passed" | "failed" | "skipped" | "flaky" | "interrupted";

/**
 * A file recorded for an attempt (Playwright's attachments): object YAML, events, pod logs, the
 * failure and its diff. Reporters read these from the result rather than walking folders.
 */
export interface Attachment {
  /** What it is, relative to the attempt's artifacts folder: `objects/Pod-ns-web.yaml`, `events.txt`. */
  name: string;
  /** Absolute path of the file. */
  path: string;
  contentType: AttachmentContentType;
  /** The file's text when it is short (a few KiB), so a report can embed it without reading the file. */
  body?: string;
}

export type AttachmentContentType = "text/plain" | "application/yaml" | "text/x-diff";

export interface TestAttempt {
  status: Status;
  durationMs: number;
  namespace?: string;
  error?: FailureDetail;
  steps: StepResult[];
  /** Where diagnostics of a failed attempt were written. */
  artifactsDir?: string;
  /** Every file written into `artifactsDir`, in the order written. */
  attachments?: Attachment[];
  /** Namespace deletion that did not finish, with what blocks it (finalizers). */
  cleanupWarnings?: string[];
  /** What the diagnostics suggest doing (load an image the node lacks), for reporters to show. */
  hints?: string[];
}

export interface TestResult {
  /** `flaky`: failed, then passed on a retry. */
  status: TestStatus;
  durationMs: number;
  /** Every attempt, the last one deciding the status. */
  attempts: TestAttempt[];
  skipReason?: string;
}

export interface ClusterInfo {
  /** `local` (the embedded cluster), or the kubeconfig context's name. */
  kind: "local" | "kubeconfig";
  context: string;
  server: string;
  /** The embedded cluster was started for this run (not reused). */
  started?: boolean;
  /** The API server's version (`/version`'s gitVersion), when it answered. */
  version?: string;
  /** The cluster's nodes when the run began, when they could be listed. */
  nodes?: { name: string; ready: boolean }[];
}

export interface RunInfo {
  rootDir: string;
  cluster: ClusterInfo;
  workers: number;
  startedAt: string;
  artifactsDir: string;
  reportDir: string;
  runId: string;
  shard?: { index: number; total: number };
}

export interface RunResult {
  status: "passed" | "failed" | "interrupted";
  durationMs: number;
  counts: Record<TestStatus, number>;
}
