import type {
  FailureDetail,
  Operation,
  OperationResult,
  Step,
  StepPhase,
  StepResult,
  TestAttempt,
} from "../model/index.ts";
import { runOperation, type CreatedObject, type OperationContext } from "../ops/index.ts";
import { OperationError } from "../ops/types.ts";
import type { Bindings } from "../template/bindings.ts";
import type { AttemptContext } from "./environment.ts";
import { errorMessage } from "../source/errors.ts";
import { deadline } from "../source/deadline.ts";
import { cleanupTimeout, operationTimeout } from "./timeouts.ts";
import { clusterBindings } from "./cluster-functions.ts";
import { selectCluster, type NamedCluster } from "./clusters.ts";

/** One step of an attempt while it runs: its result so far, what it created, its bindings. */
export interface StepState {
  step: Step;
  result: StepResult;
  /** What the step created, with the named cluster it was created on (none: the run's). */
  created: (CreatedObject & { cluster?: NamedCluster })[];
  bindings: Bindings;
  /** Stops what the step's scripts left running (a port-forward): called at the end of the test. */
  leftovers: (() => Promise<void>)[];
}

/**
 * What a phase's failures do. `try` stops at the first one (unless `continueOnError`) and fails the
 * attempt; `catch` and `finally` only record them; `cleanup` fails the attempt but goes on, so every
 * cleanup operation runs.
 */
const FAILURES: Record<StepPhase, "stop" | "record" | "continue"> = {
  try: "stop",
  catch: "record",
  finally: "record",
  cleanup: "continue",
};

/** One operation of a phase, with the bindings it sees. */
interface OperationCall {
  operation: Operation;
  /** Chainsaw's `$operation.id` counts operations from 1 within their phase. */
  index: number;
  bindings: Bindings;
}

/** Runs a phase's operations in order; `try` passes each operation's outputs on to the next. */
export async function runPhase(
  ctx: AttemptContext,
  state: StepState,
  phase: StepPhase,
  operations: readonly Operation[],
): Promise<void> {
  let bindings = state.bindings;
  for (const [index, operation] of operations.entries()) {
    if (phase === "try" && ctx.env.interrupt.aborted) break;
    if (!conditionHolds(operation.when, ctx.result.status)) continue;
    const { result, outputs } = await runCall(ctx, state, phase, { operation, index, bindings });
    if (outputs) bindings = outputs;
    state.result.operations.push({ ...result, phase });
    if (phase === "try") state.bindings = bindings;
    if (result.status === "interrupted") {
      state.result.status = "interrupted";
      return;
    }
    if (result.status !== "failed" || !result.error) continue;
    const policy = FAILURES[phase];
    if (policy === "continue") failStep(state, ctx.result, result.error);
    if (policy === "stop" && !operation.continueOnError) {
      failStep(state, ctx.result, result.error);
      return;
    }
  }
}

/** An operation's `when` against the attempt's status so far (an interrupted attempt counts as failed). */
export function conditionHolds(when: Operation["when"], status: TestAttempt["status"]): boolean {
  switch (when) {
    case undefined:
    case "always":
      return true;
    case "never":
      return false;
    case "onSuccess":
      return status === "passed";
    case "onFailure":
      return status !== "passed";
  }
}

/** Runs one operation under its deadline; a thrown error becomes a failed result at its location. */
async function runCall(
  ctx: AttemptContext,
  state: StepState,
  phase: StepPhase,
  call: OperationCall,
): Promise<{ result: OperationResult; outputs?: Bindings }> {
  const { operation } = call;
  const isCleanup = phase === "cleanup";
  const { env, test } = ctx;
  const timeoutMs = isCleanup
    ? cleanupTimeout(state.step, test, env.config, env.timeoutMultiplier)
    : operationTimeout(operation, state.step, test, env.config, env.timeoutMultiplier);
  // Cleanup must run even after an interrupt; everything else stops with it.
  const timer = deadline(timeoutMs, isCleanup ? undefined : env.interrupt);
  const started = Date.now();
  const base = { type: operation.type, location: operation.location };
  try {
    const cluster = await selectCluster(
      [operation, state.step, ctx.test],
      env.config.clusters,
      call.bindings,
      env.clusters,
    );
    const context = operationContext(ctx, state, call, { signal: timer.signal, timeoutMs, cluster });
    const outcome = await runOperation(operation, context);
    ctx.involved.push(...(outcome.involved ?? []));
    const interrupted = outcome.status === "failed" && env.interrupt.aborted && !isCleanup;
    const result: OperationResult = {
      ...base,
      description: operation.description,
      status: interrupted ? "interrupted" : outcome.status,
      durationMs: Date.now() - started,
      evaluations: outcome.evaluations,
      error: outcome.error,
      output: outcome.output,
    };
    return outcome.bindings ? { result, outputs: outcome.bindings } : { result };
  } catch (error) {
    const location =
      error instanceof OperationError ? (error.location ?? operation.location) : operation.location;
    const failure: FailureDetail = { message: errorMessage(error), location };
    return { result: { ...base, status: "failed", durationMs: Date.now() - started, error: failure } };
  } finally {
    timer.dispose();
  }
}

function operationContext(
  ctx: AttemptContext,
  state: StepState,
  call: OperationCall,
  limits: { signal: AbortSignal; timeoutMs: number; cluster: NamedCluster | undefined },
): OperationContext {
  const { env, test } = ctx;
  const { cluster } = limits;
  let bindings = call.bindings
    .with("operation", { id: call.index + 1 })
    .withCompiler(call.operation.compiler);
  if (cluster !== undefined) {
    // $client and $config follow the selected cluster, as in Chainsaw.
    const refs = clusterBindings(cluster.client);
    bindings = bindings.with("client", refs.client).with("config", refs.config);
  }
  return {
    resources: cluster?.resources ?? env.resources,
    client: cluster?.client ?? env.client,
    kubeconfig: cluster?.kubeconfig ?? env.kubeconfig,
    toolPath: env.toolPath,
    namespace: ctx.namespace.name,
    bindings,
    signal: limits.signal,
    timeoutMs: limits.timeoutMs,
    labels: ctx.labels,
    baseDir: test.baseDir ?? process.cwd(),
    onCreated: (object) => state.created.push(cluster === undefined ? object : { ...object, cluster }),
    onLeftover: (stop) => state.leftovers.push(stop),
    propagation: deletionPropagation(ctx, state.step),
    forceTerminationGracePeriodMs:
      test.forceTerminationGracePeriodMs ?? env.config.execution.forceTerminationGracePeriodMs,
  };
}

export function deletionPropagation(ctx: AttemptContext, step: Step): OperationContext["propagation"] {
  return (
    step.deletionPropagationPolicy ??
    ctx.test.deletionPropagationPolicy ??
    ctx.env.config.deletion.propagation
  );
}

/** Marks the step failed, and the attempt with its first failure. */
export function failStep(state: StepState, attempt: TestAttempt, error: FailureDetail): void {
  state.result.status = "failed";
  if (attempt.status !== "failed") {
    attempt.status = "failed";
    attempt.error = error;
  }
}
