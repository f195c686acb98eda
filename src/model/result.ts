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
  /** `relative/path.yaml:line`: copy-pasteable to `kubeproof test` to run this test alone. */
  id: string;
  name: string;
  location: SourceLocation;
  format: TestFormat;
  labels: Record<string, string>;
  stepNames: string[];
}

export type TestStatus = "passed" | "failed" | "skipped" | "flaky" | "interrupted";

export interface TestAttempt {
  status: Status;
  durationMs: number;
  namespace?: string;
  error?: FailureDetail;
  steps: StepResult[];
  /** Where diagnostics of a failed attempt were written. */
  artifactsDir?: string;
  /** Namespace deletion that did not finish, with what blocks it (finalizers). */
  cleanupWarnings?: string[];
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
