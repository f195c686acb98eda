import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { HelmOperation } from "../../model/index.ts";
import { commandFailure, runCommand, type CommandResult } from "../../process/index.ts";
import { formatDuration } from "../../source/duration.ts";
import { templateString } from "../../template/template.ts";
import { applyOutputs, operationBindings, processEnvironment } from "../common.ts";
import type { CreatedObject, OperationContext, OperationOutcome } from "../types.ts";
import { chartCrds, failureReport, releaseState, type ReleaseState } from "./release.ts";

/** How long the queries after the install may take when the operation's own deadline has passed. */
const AFTERWARDS_MS = 30_000;

/** Runs helm with the run's environment: the pinned helm first on PATH, $KUBECONFIG the run's cluster. */
export type HelmRunner = (args: readonly string[], signal?: AbortSignal) => Promise<CommandResult>;

/**
 * `helm upgrade --install`. What the release made (its manifest, the chart's new CRDs, helm's release
 * record) is recorded as created, so the test's cleanup deletes it like any created object, also when
 * the install failed half-way. For `kubeproof clean`, after a run killed before its cleanup, the
 * release record carries the run's labels (helm's --labels; the record lists the release's objects,
 * and helm writes it before them), and so do the chart's new CRDs, which no record lists. A failure
 * lists the chart's resources and their events.
 */
export async function runHelm(
  operation: HelmOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const t = (value: string): string => (operation.template ? templateString(value, bindings) : value);
  const release = t(operation.release);
  const namespace = operation.namespace === undefined ? context.namespace : t(operation.namespace);
  const chart = resolve(context.baseDir, t(operation.chart));
  const env = processEnvironment(context);
  const helm: HelmRunner = (args, signal = context.signal) =>
    runCommand({ command: "helm", args, env, cwd: context.baseDir, signal });

  // helm installs crds/ only when absent and never deletes them: the new ones are the test's to delete.
  const crds = operation.skipCrds ? [] : await chartCrds(helm, chart, context);
  for (const crd of crds) context.onCreated(crd);
  const valuesDir = operation.values ? await mkdtemp(join(tmpdir(), "kubeproof-helm-")) : undefined;
  try {
    const args = await installArgs(operation, { release, chart, namespace, valuesDir, context });
    const result = await helm(args);
    const afterwards = AbortSignal.timeout(AFTERWARDS_MS);
    await labelCrds(crds, context);
    const state = await releaseState(helm, { release, namespace }, afterwards);
    for (const object of state?.objects ?? []) context.onCreated(object);
    if (state) context.onCreated(state.record);
    const failure =
      result.error !== undefined && "code" in result.error && result.error.code === "ENOENT"
        ? "helm is not installed: run `kubeproof cluster install` (it puts the pinned helm in the cache)"
        : commandFailure(result);
    if (failure !== undefined || state === undefined) {
      const why = context.signal.aborted
        ? `timed out after ${formatDuration(context.timeoutMs)}`
        : (failure ?? "no release afterwards");
      return await failureReport(
        { operation, release, namespace, why, objects: state?.objects ?? [] },
        context,
        afterwards,
      );
    }
    return passed(operation, state, { context, bindings });
  } finally {
    if (valuesDir) await rm(valuesDir, { recursive: true, force: true });
  }
}

async function installArgs(
  operation: HelmOperation,
  at: {
    release: string;
    chart: string;
    namespace: string;
    valuesDir: string | undefined;
    context: OperationContext;
  },
): Promise<string[]> {
  const values = operation.valuesFiles.map((file) => resolve(at.context.baseDir, file));
  if (operation.values && at.valuesDir) {
    // Inline values go through a file, as helm's -f, so nested maps and lists keep their types.
    const file = join(at.valuesDir, "values.json");
    await writeFile(file, JSON.stringify(operation.values));
    values.push(file);
  }
  // helm stops itself a little before the operation's deadline, so its own message says what it waited for.
  const helmTimeoutS = Math.max(1, Math.floor((at.context.timeoutMs * 0.9) / 1000));
  return [
    "upgrade",
    "--install",
    at.release,
    at.chart,
    "--namespace",
    at.namespace,
    "--timeout",
    `${helmTimeoutS}s`,
    ...values.flatMap((file) => ["--values", file]),
    ...labelsArgs(at.context.labels),
    ...(operation.wait ? ["--wait"] : []),
    ...(operation.skipCrds ? ["--skip-crds"] : []),
  ];
}

/** helm's --labels: the run's labels on every record of the release (merged into an upgraded one's). */
function labelsArgs(labels: Record<string, string>): string[] {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return pairs.length > 0 ? ["--labels", pairs.join(",")] : [];
}

/**
 * The run's labels on the CRDs helm installed from the chart's crds/ (absent before it ran): helm
 * applies no post-renderer or label to them. Best effort: one not labelled is still deleted by the
 * test's cleanup; only `kubeproof clean` would miss it.
 */
async function labelCrds(crds: readonly CreatedObject[], context: OperationContext): Promise<void> {
  if (Object.keys(context.labels).length === 0) return;
  for (const crd of crds) {
    const metadata = { name: crd.name, labels: context.labels };
    await context.resources
      .patch({ apiVersion: crd.apiVersion, kind: crd.kind, metadata })
      .catch(() => undefined); // Not installed (the install failed first) or not ours to change.
  }
}

function passed(
  operation: HelmOperation,
  state: ReleaseState,
  { context, bindings }: { context: OperationContext; bindings: ReturnType<typeof operationBindings> },
): OperationOutcome {
  const summary = {
    name: state.name,
    namespace: state.namespace,
    revision: state.revision,
    status: state.status,
    resources: state.objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.name })),
  };
  const stdout = [
    `release ${state.namespace}/${state.name} revision ${state.revision}: ${state.status}`,
    ...state.objects.map((o) => `  ${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`),
  ].join("\n");
  return {
    status: "passed",
    output: { stdout: `${stdout}\n` },
    ...(operation.outputs.length > 0
      ? { bindings: applyOutputs(operation.outputs, context.bindings, summary, bindings) }
      : {}),
  };
}
