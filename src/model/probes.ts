import type { AssertMode, OperationBase } from "./operation.ts";
import type { SourceLocation } from "./source.ts";

/**
 * The in-cluster probes (kubeproof's extensions): `http`, `metrics` and `exec`. Strings in them are
 * templated with the operation's bindings when they are `(expressions)`, as in the rest of a test.
 */

/** Where a request goes: a Service's port, a pod's (by name or selector), or a URL. */
export type ProbeTarget =
  | { kind: "service"; name: string; namespace?: string; port: string }
  | { kind: "pod"; name?: string; selector?: string; namespace?: string; port: string }
  | { kind: "url"; url: string }
  | { kind: "apiServer" }
  | { kind: "node"; name: string };

/**
 * How a request reaches the target:
 * - proxy: the API server's service/pod proxy (no pod needed; the API server consumes an
 *   `Authorization` header, and reaches only Services and pods);
 * - pod: a client pod in the test namespace sends it (the cluster network itself: DNS, Service
 *   routing, any URL, any header);
 * - auto (default): proxy when the request fits it, else pod.
 */
export type ProbeTransport = "auto" | "proxy" | "pod";

/** A secret value: a key of a Secret, or a token minted for a service account (TokenRequest). */
export type SecretSource =
  | { kind: "secret"; name: string; key: string; namespace?: string }
  | { kind: "serviceAccountToken"; serviceAccount: string; audiences?: string[]; namespace?: string };

/** A header's value: written (templated), or read from a secret source (then masked in output). */
export type HeaderValue = { value: string } | { from: SecretSource };

export interface HttpRequestSpec {
  target: ProbeTarget;
  method: string;
  /** Path and query, from `/`. */
  path: string;
  scheme: "http" | "https";
  headers: { name: string; value: HeaderValue }[];
  /** `Authorization: Bearer <token>` from a secret source. */
  bearerToken?: SecretSource;
  /** A JSON tree (templated, sent as JSON) or text. */
  body?: { json: unknown } | { text: string };
  /** Each request's own deadline (default 30s, the EPP suite's curl timeout). */
  requestTimeoutMs: number;
}

export interface HttpRetry {
  /** Attempts in all, the first included. */
  attempts: number;
  backoffMs: number;
  /** Assertion tree on a response: retry until it matches (default: the operation's `check`). */
  until?: unknown;
}

export interface HttpOperation extends OperationBase {
  type: "http";
  request: HttpRequestSpec;
  transport: ProbeTransport;
  /** Requests in the batch (default 1). */
  repeat: number;
  /** Requests in flight at once (default 1). */
  concurrency: number;
  /** Pause between the starts of two requests ("two requests 100 ms apart"). */
  spacingMs?: number;
  retry?: HttpRetry;
  /** Assertion tree on each response ($response); a failing response fails the operation. */
  check?: unknown;
  /** Assertion tree on the batch: `{responses, count, failed}`. */
  checkBatch?: unknown;
  /** Where check and checkBatch are written, for failures. */
  checkLocation?: SourceLocation;
  checkBatchLocation?: SourceLocation;
}

/** A value comparison of a selected series: every sample the selector picks must satisfy it. */
export interface ValueComparison {
  equals?: number;
  above?: number;
  atLeast?: number;
  below?: number;
  atMost?: number;
}

export interface SeriesExpectation {
  /** `name{label="v",other=~"re"}` (templated): labels in any order, PromQL's matchers. */
  selector: string;
  value?: ValueComparison;
  /** How many series must match (default: at least one). */
  count?: number;
  location: SourceLocation;
}

export interface MetricsOperation extends OperationBase {
  type: "metrics";
  target: ProbeTarget;
  path: string;
  scheme: "http" | "https";
  bearerToken?: SecretSource;
  transport: ProbeTransport;
  mode: AssertMode;
  intervalMs: number;
  /** Families that must be present (any type). */
  families: string[];
  series: SeriesExpectation[];
  /** Series that must be absent. */
  absent: SeriesExpectation[];
  requestTimeoutMs: number;
}

export interface ExecOperation extends OperationBase {
  type: "exec";
  pod: { name?: string; selector?: string; namespace?: string };
  container?: string;
  command: string[];
  /** As script's check: over $stdout, $stderr, $error (and $exitCode). */
  check?: unknown;
  skipLogOutput: boolean;
}
