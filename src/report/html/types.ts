import type {
  Attachment,
  ClusterInfo,
  FailureDetail,
  RunInfo,
  RunResult,
  Status,
  StepPhase,
  TestStatus,
} from "../../model/result.ts";
import type { OperationType } from "../../model/operation.ts";
import type { DiffLineKind } from "../failure-format.ts";

/** The shape of the data the HTML report is rendered from (built in data.ts). */

export interface HtmlReportData {
  title: string;
  generatedAt: string;
  version?: string;
  status: RunResult["status"];
  durationMs: number;
  counts: HtmlCounts;
  commandLine?: string;
  run?: {
    cluster: ClusterInfo;
    workers: number;
    rootDir: string;
    runId: string;
    startedAt: string;
    shard?: { index: number; total: number };
  };
  /** The slowest tests that ran, slowest first. */
  slowest: { index: number; title: string; status: TestStatus; durationMs: number }[];
  tests: HtmlTest[];
  /** Errors outside any test (a namespace left terminating at the end, say). */
  errors: { message: string; location?: string }[];
}

export interface HtmlCounts {
  total: number;
  passed: number;
  failed: number;
  flaky: number;
  skipped: number;
  interrupted: number;
}

export interface HtmlTest {
  /** Position in the planned order; the test's page is `#t<index>`. */
  index: number;
  id: string;
  name: string;
  /** `file:line › name`, as the terminal names it. */
  title: string;
  location: string;
  labels: Record<string, string>;
  status: TestStatus;
  durationMs: number;
  skipReason?: string;
  /** The first line of the failure, for the overview. */
  summary?: string;
  /** Lower-case id, name, file and labels: what the text filter searches. */
  searchText: string;
  attempts: HtmlAttempt[];
}

export interface HtmlAttempt {
  /** 1 for the first run. */
  number: number;
  status: Status;
  durationMs: number;
  namespace?: string;
  artifactsDir?: string;
  /** The attempt that explains the result: the page opens it. */
  explains: boolean;
  failure?: HtmlFailure;
  cleanupWarnings: string[];
  hints: string[];
  steps: HtmlStep[];
  /** Operations on the attempt's time axis, in the order they ran. */
  timeline: HtmlTimelineBar[];
  attachments: HtmlAttachment[];
}

export interface HtmlFailure {
  /** `step deploy › assert (description)`. */
  where: string;
  /** `file:line:col` an editor opens: the failing key when known. */
  location?: string;
  /** `file:line:col` of the failing operation, when it differs from `location`. */
  operationLocation?: string;
  message: string;
  subject?: string;
  diff?: { kind: DiffLineKind; text: string }[];
  more: { message: string; location?: string }[];
  /** Later failures of the same attempt (a cleanup that could not delete). */
  others: { where: string; message: string; location: string }[];
  output?: { stdout?: string; stderr?: string };
}

export interface HtmlStep {
  name: string;
  location: string;
  status: Status;
  durationMs: number;
  operations: HtmlOperation[];
}

export interface HtmlOperation {
  type: OperationType;
  phase: StepPhase;
  description?: string;
  location: string;
  status: Status;
  durationMs: number;
  evaluations?: number;
  /** The operation that made the attempt fail. */
  failing: boolean;
  message?: string;
}

export interface HtmlTimelineBar {
  label: string;
  status: Status;
  /** Milliseconds from the attempt's first operation. */
  startMs: number;
  durationMs: number;
  location: string;
}

/** An attachment as the page shows it: embedded text, a link to the file, or both (a long file's head). */
export interface HtmlAttachment {
  name: string;
  contentType: Attachment["contentType"];
  kind: "object" | "events" | "log" | "diff" | "file";
  /** The text shown on the page (all of it, or the first part when `truncated`). */
  text?: string;
  truncated: boolean;
  /** The file's size in bytes, when known. */
  size?: number;
  /** Relative to index.html, when the whole file is not embedded. */
  href?: string;
  /** Why the file could not be read. */
  missing?: string;
}

/** What the page needs of an attachment's file; resolved (read, capped, copied) before building. */
export type ResolvedAttachment = Omit<HtmlAttachment, "kind">;

export interface HtmlReportContext {
  generatedAt: string;
  run?: RunInfo;
  version?: string;
  commandLine?: string;
  errors?: readonly FailureDetail[];
  /** The files of each attempt as they will be shown, by the attachment's path. */
  attachments?: ReadonlyMap<string, ResolvedAttachment>;
}
