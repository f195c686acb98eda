import { join } from "node:path";
import type { FailureDetail, Step, Test, TestAttempt, TestInfo } from "../model/index.ts";
import { Bindings } from "../template/bindings.ts";
import { applyBindings } from "../template/template.ts";
import { deleteCreated } from "./cleanup.ts";
import { clusterBindings } from "./cluster-functions.ts";
import { selectCluster, type NamedCluster } from "./clusters.ts";
import type { Resources } from "../kube/resources.ts";
import { collectDiagnostics } from "./diagnostics.ts";
import { keepsNamespace, keepsStepObjects, type AttemptContext, type RunEnvironment } from "./environment.ts";
import { errorMessage } from "../source/errors.ts";
import { artifactsFolderName, runLabel, testLabel, testLabelValue } from "./labels.ts";
import { deleteNamespace, prepareNamespace, type TestNamespace } from "./namespace.ts";
import { failStep, runPhase, type StepState } from "./phase.ts";
import { cleanupTimeout } from "./timeouts.ts";

export type { RunEnvironment } from "./environment.ts";

/**
 * Runs one attempt of a test: namespace, steps (try, then catch on failure, then finally), then
 * cleanup in reverse step order (each step's cleanup operations, then the objects it created, newest
 * first), then the namespace in the background. Failed attempts get diagnostics in the artifacts dir,
 * listed as the attempt's attachments.
 */
export async function executeTest(
  test: Test,
  info: TestInfo,
  env: RunEnvironment,
  attempt: number,
): Promise<TestAttempt> {
  const started = Date.now();
  const labels = { [runLabel]: env.runId, [testLabel]: testLabelValue(test.id) };
  const rootBindings = Bindings.from({
    values: env.values,
    test: {
      id: test.id,
      name: test.name,
      metadata: { name: test.name },
      ...(test.scenarioId === undefined ? {} : { scenarioId: test.scenarioId }),
    },
    // Chainsaw's $client and $config, the first argument of x_k8s_get, x_k8s_list, ...
    ...clusterBindings(env.client),
  }).withCompiler(env.config.templating.compiler);
  const result: TestAttempt = { status: "passed", durationMs: 0, steps: [] };
  const selected = await testCluster(test, env, rootBindings);
  if ("error" in selected) {
    return { ...result, status: "failed", durationMs: Date.now() - started, error: selected.error };
  }
  const { cluster } = selected;
  const opened = await openNamespace(test, env, { labels, bindings: rootBindings, cluster });
  if ("error" in opened) {
    return { ...result, status: "failed", durationMs: Date.now() - started, error: opened.error };
  }
  const { namespace } = opened;
  result.namespace = namespace.name;
  const ctx: AttemptContext = {
    test,
    info,
    env,
    attempt,
    labels,
    namespace,
    result,
    involved: [],
    ...(cluster === undefined ? {} : { cluster }),
  };
  const states = await runSteps(ctx, rootBindings.with("namespace", namespace.name));
  if (env.interrupt.aborted && result.status === "passed") result.status = "interrupted";
  await recordDiagnostics(ctx);
  await cleanUp(ctx, states);
  result.durationMs = Date.now() - started;
  return result;
}

/**
 * The test's namespace. A namespace the test (or the configuration) names is shared: the first test
 * to name it creates it, and the runner deletes it after the last one.
 */
async function openNamespace(
  test: Test,
  env: RunEnvironment,
  on: { labels: Record<string, string>; bindings: Bindings; cluster: NamedCluster | undefined },
): Promise<{ namespace: TestNamespace } | { error: FailureDetail }> {
  const prepare = (resources: Resources): Promise<TestNamespace> =>
    prepareNamespace(resources, test, on.labels, on.bindings, env.config.namespace);
  try {
    const named = test.namespace ?? env.config.namespace.name;
    // A fresh namespace lives on the test's cluster; a named one is shared, on the run's cluster.
    if (named === undefined) return { namespace: await prepare(on.cluster?.resources ?? env.resources) };
    let shared = env.sharedNamespaces.get(named);
    if (!shared) {
      shared = prepare(env.resources);
      env.sharedNamespaces.set(named, shared);
      shared.catch(() => env.sharedNamespaces.delete(named));
    }
    return { namespace: { ...(await shared), created: false } };
  } catch (error) {
    const message = `cannot create the test namespace: ${errorMessage(error)}`;
    return { error: { message, location: test.location } };
  }
}

/**
 * The cluster the test's own `cluster:` selects, where its namespace is created. The name may be an
 * expression over the test's bindings (a scenario's, say), evaluated here without `$namespace`.
 */
async function testCluster(
  test: Test,
  env: RunEnvironment,
  root: Bindings,
): Promise<{ cluster: NamedCluster | undefined } | { error: FailureDetail }> {
  if (test.cluster === undefined) return { cluster: undefined };
  try {
    const bindings = applyBindings(test.bindings, root.withCompiler(test.compiler));
    return { cluster: await selectCluster([test], env.config.clusters, bindings, env.clusters) };
  } catch (error) {
    return {
      error: { message: `cannot select the test's cluster: ${errorMessage(error)}`, location: test.location },
    };
  }
}

/** The test's bindings, then its steps in order until one fails or the run is interrupted. */
async function runSteps(ctx: AttemptContext, namespaced: Bindings): Promise<StepState[]> {
  let bindings = namespaced;
  try {
    bindings = applyBindings(ctx.test.bindings, bindings.withCompiler(ctx.test.compiler));
  } catch (error) {
    ctx.result.status = "failed";
    ctx.result.error = { message: errorMessage(error), location: ctx.test.location };
  }
  const states: StepState[] = [];
  for (const [index, step] of ctx.test.steps.entries()) {
    if (ctx.result.status !== "passed" || ctx.env.interrupt.aborted) break;
    states.push(await runStep(ctx, step, index, bindings));
  }
  return states;
}

async function runStep(
  ctx: AttemptContext,
  step: Step,
  index: number,
  bindings: Bindings,
): Promise<StepState> {
  const { env, info, test } = ctx;
  env.reporter.onStepBegin(info, { name: step.name, index });
  const started = Date.now();
  const state: StepState = {
    step,
    created: [],
    bindings,
    leftovers: [],
    result: { name: step.name, location: step.location, status: "passed", durationMs: 0, operations: [] },
  };
  try {
    state.bindings = applyBindings(
      step.bindings,
      bindings.with("step", { id: index + 1, name: step.name }).withCompiler(step.compiler),
    );
  } catch (error) {
    failStep(state, ctx.result, { message: errorMessage(error), location: step.location });
  }
  if (state.result.status === "passed") await runPhase(ctx, state, "try", step.try);
  if (state.result.status === "failed") {
    const withError = state.bindings.with("error", ctx.result.error?.message ?? null);
    const catchOps = [...step.catch, ...test.catch, ...env.config.catch];
    await runPhase(ctx, { ...state, bindings: withError }, "catch", catchOps);
  }
  await runPhase(ctx, state, "finally", step.finally);
  if (env.interrupt.aborted && state.result.status === "passed") state.result.status = "interrupted";
  state.result.durationMs = Date.now() - started;
  ctx.result.steps.push(state.result);
  env.reporter.onStepEnd(info, state.result);
  return state;
}

/** A failed attempt's diagnostics, written to its artifacts folder and listed as attachments. */
async function recordDiagnostics(ctx: AttemptContext): Promise<void> {
  const { result, env } = ctx;
  if (result.status !== "failed" || !result.error) return;
  result.artifactsDir = join(env.artifactsDir, artifactsFolderName(ctx.test, ctx.attempt));
  const diagnostics = await collectDiagnostics({
    dir: result.artifactsDir,
    resources: env.resources,
    client: env.client,
    namespace: ctx.namespace.name,
    failure: result.error,
    involved: ctx.involved,
  }).catch(() => ({ attachments: [], hints: [] }));
  result.attachments = diagnostics.attachments;
  if (diagnostics.hints.length > 0) result.hints = diagnostics.hints;
}

/**
 * After `delayBeforeCleanup`: each step's cleanup operations and then the objects it created, last
 * step first; then the test's own namespace, deleted in the background.
 */
async function cleanUp(ctx: AttemptContext, states: readonly StepState[]): Promise<void> {
  const { env, test } = ctx;
  const delay = test.delayBeforeCleanupMs ?? env.config.cleanup.delayBeforeCleanupMs;
  if (delay > 0 && !env.interrupt.aborted) await new Promise((r) => setTimeout(r, delay));
  for (const state of [...states].reverse()) {
    await runPhase(ctx, state, "cleanup", state.step.cleanup);
    if (!keepsStepObjects(env, test, state.step)) await deleteCreated(ctx, state);
  }
  // What scripts left running served every step and the cleanup; it stops before the namespace goes.
  await Promise.all(states.flatMap((state) => state.leftovers).map((stop) => stop()));
  if (ctx.namespace.created && !keepsNamespace(env, test)) {
    const timeoutMs = cleanupTimeout(undefined, test, env.config, env.timeoutMultiplier);
    const resources = ctx.cluster?.resources ?? env.resources;
    env.pendingCleanup.push(deleteNamespace(resources, ctx.namespace.name, timeoutMs));
  }
}
