import type { ClusterInfo, Status } from "../model/result.ts";
import type { OperationType } from "../model/operation.ts";
import type { StepPhase } from "../model/result.ts";

/**
 * The shape of `report.json` (`--reporter json`): a CTRF report (https://ctrf.io, schema
 * `ctrf.schema.json`), with kubeproof's own details under the `extra` objects CTRF reserves for
 * them. Only fields CTRF defines appear outside `extra`, so any CTRF tool reads the report.
 * docs/report-json.md describes every field for people.
 */

export type CtrfStatus = "passed" | "failed" | "skipped" | "pending" | "other";

export interface CtrfReport {
  reportFormat: "CTRF";
  specVersion: string;
  /** When the report was written (ISO 8601). */
  timestamp: string;
  generatedBy: "kubeproof";
  results: {
    tool: { name: "kubeproof"; version?: string };
    summary: CtrfSummary;
    tests: CtrfTest[];
    extra: RunExtra;
  };
}

export interface CtrfSummary {
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  pending: number;
  other: number;
  /** Tests that passed on a retry; also counted in `passed`. */
  flaky: number;
  /** Test files. */
  suites: number;
  /** Epoch milliseconds. */
  start: number;
  stop: number;
  duration: number;
}

export interface RunExtra {
  /** kubeproof's run status: `interrupted` when a signal stopped the run. */
  status: "passed" | "failed" | "interrupted";
  runId?: string;
  rootDir?: string;
  artifactsDir?: string;
  workers?: number;
  cluster?: ClusterInfo;
  shard?: { index: number; total: number };
  /** Errors outside any test (a namespace deletion that did not finish, say). */
  errors?: KubeproofError[];
}

/** CTRF's attachment: a file recorded for a test or an attempt (object YAML, events, logs, diff). */
export interface CtrfAttachment {
  /** Relative to the attempt's artifacts folder: `objects/Pod-ns-web.yaml`, `events.txt`. */
  name: string;
  contentType: string;
  /** Absolute path of the file. */
  path: string;
}

export interface CtrfTest {
  name: string;
  /** `flaky` is `passed` with `flaky: true`; `interrupted` is `other` with `rawStatus`. */
  status: CtrfStatus;
  /** Milliseconds, all attempts included. */
  duration: number;
  /** Epoch milliseconds: the first attempt's start and the last attempt's end. */
  start?: number;
  stop?: number;
  /** The failure's message, or why the test was skipped. */
  message?: string;
  /** The failure in full: step, operation and `file:line:col`, message, diff, cleanup, artifacts. */
  trace?: string;
  /** kubeproof's status when CTRF has no equivalent (`flaky`, `interrupted`). */
  rawStatus?: string;
  /** The test file, relative to the run's `rootDir` (as in the test id). */
  filePath: string;
  /** The line where the test is defined. */
  line: number;
  /** The test file: the same grouping as JUnit's `<testsuite>`. */
  suite: [string];
  type: "e2e";
  /** The test's labels (Chainsaw `metadata.labels`). */
  labels?: Record<string, string>;
  /** Attempts after the first. */
  retries?: number;
  /** Every attempt when the test ran more than once. */
  retryAttempts?: CtrfAttempt[];
  flaky?: true;
  /** The last attempt's steps, in CTRF's own minimal form; `extra.steps` has the timings. */
  steps?: { name: string; status: CtrfStatus }[];
  /** The files of the latest failed attempt (the one `extra.artifactsDir` names). */
  attachments?: CtrfAttachment[];
  extra: TestExtra;
}

export interface CtrfAttempt {
  /** 1 for the first run. */
  attempt: number;
  status: CtrfStatus;
  duration: number;
  message?: string;
  trace?: string;
  /** Line of the failing key or operation. */
  line?: number;
  /** This attempt's files. */
  attachments?: CtrfAttachment[];
  extra?: { namespace?: string; artifactsDir?: string };
}

export interface TestExtra {
  /** `relative/path.yaml:line`: pass it to `kubeproof test` to run this test alone. */
  id: string;
  format: string;
  /** The last attempt's namespace. */
  namespace?: string;
  /** Diagnostics of the latest failed attempt. */
  artifactsDir?: string;
  /** `file:line:col` of what failed (the failing assertion key, operation or step). */
  failureLocation?: string;
  attempts: number;
  /** Planned but never started (the run was interrupted); reported as skipped. */
  notRun?: true;
  cleanupWarnings?: string[];
  /** What the diagnostics suggest doing, e.g. `kubeproof cluster load` for an image the node lacks. */
  hints?: string[];
  /** The last attempt's steps with per-operation timings. */
  steps: KubeproofStep[];
}

export interface KubeproofStep {
  name: string;
  location: string;
  status: Status;
  durationMs: number;
  operations: KubeproofOperation[];
}

export interface KubeproofOperation {
  type: OperationType;
  phase: StepPhase;
  /** `file:line:col` of the operation. */
  location: string;
  description?: string;
  status: Status;
  durationMs: number;
  /** How many times a waiting operation (assert, error, wait) evaluated before it settled. */
  evaluations?: number;
  error?: KubeproofError;
  /** Process output or printed resources, kept for failed operations. */
  output?: { stdout?: string; stderr?: string };
}

export interface KubeproofError {
  message: string;
  /** `file:line:col` of the failing key. */
  location?: string;
  /** The object the diff was taken against. */
  subject?: string;
  /** Unified diff, expected vs actual. */
  diff?: string;
  more?: { message: string; location?: string }[];
}
