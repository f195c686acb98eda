import type {
  Binding,
  ClusterSelection,
  DeletionPropagation,
  ExpressionLanguage,
  Operation,
} from "./operation.ts";
import type { SuiteSetup } from "./setup.ts";
import type { SourceDocument, SourceLocation } from "./source.ts";

/** Default timeouts per operation type, in milliseconds (Chainsaw's `timeouts` block). */
export interface Timeouts {
  apply?: number;
  assert?: number;
  cleanup?: number;
  delete?: number;
  error?: number;
  exec?: number;
}

export interface Step extends ClusterSelection {
  name: string;
  location: SourceLocation;
  description?: string;
  timeouts: Timeouts;
  bindings: Binding[];
  /** Chainsaw's step `skipDelete`: keep (true) or delete (false) what this step created, over the test's setting. */
  skipDelete?: boolean;
  template?: boolean;
  /** Chainsaw's `compiler`: the language of expressions that name none (`jp` unless set). */
  compiler?: ExpressionLanguage;
  /** Overrides the test's and the configuration's deletion propagation for this step. */
  deletionPropagationPolicy?: DeletionPropagation;
  try: Operation[];
  catch: Operation[];
  finally: Operation[];
  cleanup: Operation[];
}

/** Which input format a test was written in; the runner never branches on it. */
export type TestFormat = "chainsaw" | "kubeproof" | "kuttl" | "vk-test-set";

export interface Test extends ClusterSelection {
  /**
   * Stable id from the file and the name (`relative/path/to/file.yaml::name`, `#2` for a second test
   * of the same name in the file): it does not move when lines do. Copy-pasteable to re-run this test.
   */
  id: string;
  name: string;
  location: SourceLocation;
  format: TestFormat;
  description?: string;
  labels: Record<string, string>;
  /** The namespace the test names, if any; otherwise the runner creates one. */
  namespace?: string;
  timeouts: Timeouts;
  bindings: Binding[];
  /** Chainsaw's `$test.scenarioId`: which of the test's `scenarios` this run is, from 1. */
  scenarioId?: number;
  skip: boolean;
  /** Why `skip` is set, when the format says more than `skip: true` (kuttl's testRunSelector). */
  skipReason?: string;
  /** Chainsaw's `concurrent` (default true): false runs the test alone. */
  concurrent: boolean;
  /** Keep what the test created (and its namespace), over the configuration's `cleanup.skipDelete`. */
  skipDelete?: boolean;
  template?: boolean;
  /** Chainsaw's `compiler`: the language of expressions that name none (`jp` unless set). */
  compiler?: ExpressionLanguage;
  steps: Step[];
  /** Test-level `catch` operations, run after any failing step's own catch. */
  catch: Operation[];
  /** Absolute directory of the test file: `file:` references were resolved and scripts run from here. */
  baseDir?: string;
  /** Chainsaw's `namespaceTemplate`: a (templated) Namespace object used to create the test namespace. */
  namespaceTemplate?: SourceDocument;
  /**
   * Chainsaw's test-level `failFast`, over the run's (`execution.failFast`, `--fail-fast`): true skips
   * this test once another test has failed; false runs it even then.
   */
  failFast?: boolean;
  deletionPropagationPolicy?: DeletionPropagation;
  /** Wait this long after the test ends before cleaning up (Chainsaw's `delayBeforeCleanup`). */
  delayBeforeCleanupMs?: number;
  /** Force this termination grace period on pods and workloads the test creates. */
  forceTerminationGracePeriodMs?: number;
  /**
   * The set-up of the suite the test belongs to (a kuttl TestSuite's crdDir, manifestDirs, commands):
   * one object shared by all its tests, run once before the first test of the run.
   */
  setup?: SuiteSetup;
}

export interface Suite {
  /** Directory the suite was discovered from (paths in ids are relative to it). */
  rootDir: string;
  tests: Test[];
  /** What loading noticed without refusing it (a file nothing runs, a duplicated YAML key), said before the run. */
  warnings?: LoadWarning[];
}

/** A load-time notice: where (a file, or a position in it) and what. */
export interface LoadWarning {
  file: string;
  /** 0 when the warning is about the whole file. */
  line: number;
  col: number;
  message: string;
}
