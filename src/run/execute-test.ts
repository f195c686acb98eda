import { join } from "node:path";
import type { Config } from "../config/config-schema.ts";
import type { KubeClient } from "../kube/client.ts";
import type { KubeObject, Resources } from "../kube/resources.ts";
import type {
  FailureDetail,
  Operation,
  OperationResult,
  Step,
  StepPhase,
  StepResult,
  Test,
  TestAttempt,
  TestInfo,
} from "../model/index.ts";
import { runOperation, type CreatedObject, type OperationContext } from "../ops/index.ts";
import { OperationError } from "../ops/types.ts";
import type { Reporters } from "../report/reporter.ts";
import { Bindings } from "../template/bindings.ts";
import { applyBindings } from "../template/template.ts";
import { clusterBindings } from "./cluster-functions.ts";
import { collectDiagnostics } from "./diagnostics.ts";
import { runLabel, slug, testLabel, testLabelValue } from "./labels.ts";
import { deleteNamespace, prepareNamespace, type TestNamespace } from "./namespace.ts";
import { cleanupTimeout, deadline, operationTimeout } from "./timeouts.ts";

/** What every test of a run shares. */
export interface RunEnvironment {
  resources: Resources;
  client: KubeClient;
  kubeconfig: string;
  config: Config;
  runId: string;
  artifactsDir: string;
  timeoutMultiplier: number;
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
}

interface StepState {
  step: Step;
  result: StepResult;
  created: CreatedObject[];
  bindings: Bindings;
}

/**
 * Runs one attempt of a test: namespace, steps (try, then catch on failure, then finally), then
 * cleanup in reverse step order (each step's cleanup operations, then the objects it created, newest
 * first), then the namespace in the background. Failed attempts get diagnostics in the artifacts dir.
 */
export async function executeTest(
  test: Test,
  info: TestInfo,
  env: RunEnvironment,
  attempt: number,
): Promise<TestAttempt> {
  const started = Date.now();
  const labels = { [runLabel]: env.runId, [testLabel]: testLabelValue(test.id) };
  const skipDelete = env.skipDelete || env.config.cleanup.skipDelete || test.skipDelete === true;
  const rootBindings = Bindings.from({
    values: env.values,
    test: { id: test.id, name: test.name, metadata: { name: test.name } },
    // Chainsaw's $client and $config, the first argument of x_k8s_get, x_k8s_list, ...
    ...clusterBindings(env.client),
  });
  const attemptResult: TestAttempt = { status: "passed", durationMs: 0, steps: [] };
  const involved: KubeObject[] = [];

  let namespace;
  try {
    const named = test.namespace ?? env.config.namespace.name;
    const prepare = (): Promise<TestNamespace> =>
      prepareNamespace(env.resources, test, labels, rootBindings, env.config.namespace);
    if (named === undefined) namespace = await prepare();
    else {
      // The first test to name a namespace creates it; the runner deletes it after the last one.
      let shared = env.sharedNamespaces.get(named);
      if (!shared) {
        shared = prepare();
        env.sharedNamespaces.set(named, shared);
        shared.catch(() => env.sharedNamespaces.delete(named));
      }
      namespace = { ...(await shared), created: false };
    }
  } catch (error) {
    return {
      ...attemptResult,
      status: "failed",
      durationMs: Date.now() - started,
      error: { message: `cannot create the test namespace: ${message(error)}`, location: test.location },
    };
  }
  attemptResult.namespace = namespace.name;
  let bindings = rootBindings.with("namespace", namespace.name);
  const states: StepState[] = [];
  try {
    bindings = applyBindings(test.bindings, bindings);
  } catch (error) {
    attemptResult.status = "failed";
    attemptResult.error = { message: message(error), location: test.location };
  }

  for (const [index, step] of test.steps.entries()) {
    if (attemptResult.status !== "passed" || env.interrupt.aborted) break;
    env.reporter.onStepBegin(info, { name: step.name, index });
    const stepStarted = Date.now();
    const state: StepState = {
      step,
      created: [],
      bindings,
      result: { name: step.name, location: step.location, status: "passed", durationMs: 0, operations: [] },
    };
    states.push(state);
    try {
      state.bindings = applyBindings(
        step.bindings,
        bindings.with("step", { id: index + 1, name: step.name }),
      );
    } catch (error) {
      fail(state, attemptResult, { message: message(error), location: step.location });
    }
    if (state.result.status === "passed")
      await runPhase(state, "try", step.try, test, env, namespace.name, labels, attemptResult, involved);
    if (state.result.status === "failed") {
      const withError = state.bindings.with("error", attemptResult.error?.message ?? null);
      const catchOps = [...step.catch, ...test.catch, ...env.config.catch];
      await runPhase(
        { ...state, bindings: withError },
        "catch",
        catchOps,
        test,
        env,
        namespace.name,
        labels,
        undefined,
        involved,
      );
    }
    await runPhase(state, "finally", step.finally, test, env, namespace.name, labels, undefined, involved);
    if (env.interrupt.aborted && state.result.status === "passed") state.result.status = "interrupted";
    state.result.durationMs = Date.now() - stepStarted;
    attemptResult.steps.push(state.result);
    env.reporter.onStepEnd(info, state.result);
  }
  if (env.interrupt.aborted && attemptResult.status === "passed") attemptResult.status = "interrupted";

  if (attemptResult.status === "failed" && attemptResult.error) {
    attemptResult.artifactsDir = join(
      env.artifactsDir,
      `${slug(test.name, 50)}-${testLabelValue(test.id).slice(0, 6)}${attempt > 0 ? `-retry${attempt}` : ""}`,
    );
    await collectDiagnostics({
      dir: attemptResult.artifactsDir,
      resources: env.resources,
      client: env.client,
      namespace: namespace.name,
      failure: attemptResult.error,
      involved,
    }).catch(() => {});
  }

  const delay = test.delayBeforeCleanupMs ?? env.config.cleanup.delayBeforeCleanupMs;
  if (delay > 0 && !env.interrupt.aborted) await new Promise((r) => setTimeout(r, delay));
  for (const state of [...states].reverse()) {
    await runPhase(
      state,
      "cleanup",
      state.step.cleanup,
      test,
      env,
      namespace.name,
      labels,
      attemptResult,
      involved,
      true,
    );
    if (!skipDelete) await deleteCreated(state, test, env, attemptResult);
  }
  if (namespace.created && !skipDelete) {
    env.pendingCleanup.push(
      deleteNamespace(
        env.resources,
        namespace.name,
        cleanupTimeout(undefined, test, env.config, env.timeoutMultiplier),
      ),
    );
  }
  attemptResult.durationMs = Date.now() - started;
  return attemptResult;
}

async function runPhase(
  state: StepState,
  phase: StepPhase,
  operations: readonly Operation[],
  test: Test,
  env: RunEnvironment,
  namespace: string,
  labels: Record<string, string>,
  attemptResult: TestAttempt | undefined,
  involved: KubeObject[],
  isCleanup = false,
): Promise<void> {
  let bindings = state.bindings;
  for (const [index, operation] of operations.entries()) {
    if (env.interrupt.aborted && !isCleanup && phase === "try") break;
    const timeoutMs = isCleanup
      ? cleanupTimeout(state.step, test, env.config, env.timeoutMultiplier)
      : operationTimeout(operation, state.step, test, env.config, env.timeoutMultiplier);
    // Cleanup must run even after an interrupt; everything else stops with it.
    const timer = deadline(timeoutMs, isCleanup ? undefined : env.interrupt);
    const signal = timer.signal;
    const context: OperationContext = {
      resources: env.resources,
      client: env.client,
      kubeconfig: env.kubeconfig,
      namespace,
      // Chainsaw's `$operation.id` counts operations from 1 within their phase.
      bindings: bindings.with("operation", { id: index + 1 }),
      signal,
      timeoutMs,
      labels,
      baseDir: test.baseDir ?? process.cwd(),
      onCreated: (object) => state.created.push(object),
      propagation:
        state.step.deletionPropagationPolicy ??
        test.deletionPropagationPolicy ??
        env.config.deletion.propagation,
      forceTerminationGracePeriodMs:
        test.forceTerminationGracePeriodMs ?? env.config.execution.forceTerminationGracePeriodMs,
    };
    const started = Date.now();
    let result: OperationResult;
    try {
      const outcome = await runOperation(operation, context);
      involved.push(...(outcome.involved ?? []));
      if (outcome.bindings) bindings = outcome.bindings;
      const interrupted = outcome.status === "failed" && env.interrupt.aborted && !isCleanup;
      result = {
        type: operation.type,
        location: operation.location,
        description: operation.description,
        status: interrupted ? "interrupted" : outcome.status,
        durationMs: Date.now() - started,
        evaluations: outcome.evaluations,
        error: outcome.error,
        output: outcome.output,
      };
    } catch (error) {
      const location =
        error instanceof OperationError ? (error.location ?? operation.location) : operation.location;
      result = {
        type: operation.type,
        location: operation.location,
        status: "failed",
        durationMs: Date.now() - started,
        error: { message: message(error), location },
      };
    } finally {
      timer.dispose();
    }
    state.result.operations.push({ ...result, phase });
    if (phase === "try") state.bindings = bindings;
    if (
      result.status === "failed" &&
      result.error &&
      attemptResult &&
      !operation.continueOnError &&
      phase !== "cleanup"
    ) {
      fail(state, attemptResult, result.error);
      return;
    }
    if (result.status === "failed" && result.error && attemptResult && phase === "cleanup") {
      fail(state, attemptResult, result.error);
    }
    if (result.status === "interrupted") {
      state.result.status = "interrupted";
      return;
    }
  }
}

async function deleteCreated(
  state: StepState,
  test: Test,
  env: RunEnvironment,
  attemptResult: TestAttempt,
): Promise<void> {
  const timeoutMs = cleanupTimeout(state.step, test, env.config, env.timeoutMultiplier);
  const propagation =
    state.step.deletionPropagationPolicy ?? test.deletionPropagationPolicy ?? env.config.deletion.propagation;
  for (const object of [...state.created].reverse()) {
    const started = Date.now();
    try {
      await env.resources.delete({ ...object }, { propagation });
      // Wait for objects kept by finalizers: the next deletion may depend on their controller.
      for (;;) {
        const current = await env.resources.get({ ...object });
        if (!current?.metadata.finalizers?.length) break;
        if (Date.now() - started > timeoutMs) {
          (attemptResult.cleanupWarnings ??= []).push(
            `${object.kind} ${object.namespace ?? ""}/${object.name} still has finalizers ${current.metadata.finalizers.join(", ")} after ${timeoutMs} ms`,
          );
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (error) {
      (attemptResult.cleanupWarnings ??= []).push(
        `deleting ${object.kind} ${object.namespace ?? ""}/${object.name}: ${message(error)}`,
      );
    }
  }
}

function fail(state: StepState, attemptResult: TestAttempt, error: FailureDetail): void {
  state.result.status = "failed";
  if (attemptResult.status !== "failed") {
    attemptResult.status = "failed";
    attemptResult.error = error;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
