import type { Config } from "../config/config-schema.ts";
import type { KubeClient } from "../kube/client.ts";
import type { KubeObject, Resources } from "../kube/resources.ts";
import type { Step, Test, TestAttempt, TestInfo } from "../model/index.ts";
import type { Reporters } from "../report/reporter.ts";
import type { ClusterConnections, NamedCluster } from "./clusters.ts";
import type { TestNamespace } from "./namespace.ts";

/** What every test of a run shares. `runTests` builds it; nothing outside `src/run` needs to. */
export interface RunEnvironment {
  resources: Resources;
  client: KubeClient;
  kubeconfig: string;
  /** Directories before $PATH for what the run starts: the pinned tools (helm). */
  toolPath: string[];
  config: Config;
  runId: string;
  artifactsDir: string;
  timeoutMultiplier: number;
  /** `--skip-delete`: keep everything, whatever tests and steps say. */
  skipDelete: boolean;
  values: Record<string, unknown>;
  /** Aborted by Ctrl-C / SIGTERM: operations stop, cleanup still runs (under its own timeout). */
  interrupt: AbortSignal;
  reporter: Reporters;
  /** Namespace deletions still running; each resolves to a warning when it did not finish. */
  pendingCleanup: Promise<string | undefined>[];
  /**
   * Namespaces that tests name (the test's `namespace`, the configuration's, a kuttl suite's): shared
   * by every test that names them, created once, and deleted by the runner after the last test.
   */
  sharedNamespaces: Map<string, Promise<TestNamespace>>;
  /** Clusters that tests, steps and operations select by name (`cluster:`), connected on first use. */
  clusters: ClusterConnections;
}

/** One attempt of one test: what its steps and operations read, and the result they add to. */
export interface AttemptContext {
  test: Test;
  info: TestInfo;
  env: RunEnvironment;
  /** 0 for the first run, 1 for the first retry, ... */
  attempt: number;
  /** The run and test labels every object the attempt creates carries. */
  labels: Record<string, string>;
  namespace: TestNamespace;
  /** The cluster the test's own `cluster:` selects (its namespace lives there); none: the run's. */
  cluster?: NamedCluster;
  result: TestAttempt;
  /** Objects operations touched, saved with the diagnostics when the attempt fails. */
  involved: KubeObject[];
}

/**
 * Whether what a step created is deleted at the end of the test. Chainsaw's precedence: the step's
 * `skipDelete`, else the test's, else the configuration's; `--skip-delete` keeps everything.
 */
export function keepsStepObjects(env: RunEnvironment, test: Test, step: Step): boolean {
  return env.skipDelete || (step.skipDelete ?? test.skipDelete ?? env.config.cleanup.skipDelete);
}

/** Whether the test's own namespace is kept: the test's `skipDelete`, else the configuration's. */
export function keepsNamespace(env: RunEnvironment, test: Test): boolean {
  return env.skipDelete || (test.skipDelete ?? env.config.cleanup.skipDelete);
}
