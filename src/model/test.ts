import type { Binding, Operation } from "./operation.ts";
import type { SourceLocation } from "./source.ts";

/** Default timeouts per operation type, in milliseconds (Chainsaw's `timeouts` block). */
export interface Timeouts {
  apply?: number;
  assert?: number;
  cleanup?: number;
  delete?: number;
  error?: number;
  exec?: number;
}

export interface Step {
  name: string;
  location: SourceLocation;
  description?: string;
  timeouts: Timeouts;
  bindings: Binding[];
  skipDelete?: boolean;
  template?: boolean;
  try: Operation[];
  catch: Operation[];
  finally: Operation[];
  cleanup: Operation[];
}

/** Which input format a test was written in; the runner never branches on it. */
export type TestFormat = "chainsaw" | "kubeproof" | "kuttl" | "vk-test-set";

export interface Test {
  /** Stable id: `relative/path/to/file.yaml:line` — copy-pasteable to re-run this test alone. */
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
  skip: boolean;
  /** Chainsaw's `concurrent` (default true): false runs the test alone. */
  concurrent: boolean;
  skipDelete?: boolean;
  template?: boolean;
  steps: Step[];
  /** Test-level `catch` operations, run after any failing step's own catch. */
  catch: Operation[];
}

export interface Suite {
  /** Directory the suite was discovered from (paths in ids are relative to it). */
  rootDir: string;
  tests: Test[];
}
