import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { HelmOperation } from "../../model/index.ts";
import { commandFailure, runCommand, type CommandResult } from "../../process/index.ts";
import { formatDuration } from "../../source/duration.ts";
import { templateString } from "../../template/template.ts";
import { applyOutputs, operationBindings, processEnvironment } from "../common.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";
import { absentShownCrds, installChartCrds, labelCrds, type CrdsOutcome } from "./crds.ts";
import { failureReport, releaseState, type ReleaseState } from "./release.ts";

/** How long the queries after the install may take when the operation's own deadline has passed. */
const AFTERWARDS_MS = 30_000;

/** Runs helm with the run's environment: the pinned helm first on PATH, $KUBECONFIG the run's cluster. */
export type HelmRunner = (args: readonly string[], signal?: AbortSignal) => Promise<CommandResult>;

/**
 * `helm upgrade --install`. What the release made (its manifest, the chart's new CRDs, helm's release
 * record) is recorded as created, so the test's cleanup deletes it like any created object, also when
 * the install failed half-way. For `kubeproof clean`, after a run killed before its cleanup, the
 * release record carries the run's labels (helm's --labels; the record lists the release's objects,
 * and helm writes it before them). The chart's crds/, which no record lists, kubeproof installs
 * itself before helm, as helm would and with the run's labels, then runs helm with --skip-crds.
 * A failure lists the chart's resources and their events.
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

  const valuesDir = operation.values ? await mkdtemp(join(tmpdir(), "kubeproof-helm-")) : undefined;
  try {
    const values = await valuesArgs(operation, context, valuesDir);
    const at = { release, chart, namespace, values };
    // helm installs crds/ only when absent and never deletes them: the new ones are the test's to delete.
    const crds: CrdsOutcome = operation.skipCrds
      ? { installed: true }
      : await installChartCrds(helm, { ...at, valuesArgs: values }, context);
    if (crds.failure !== undefined) {
      const why = context.signal.aborted
        ? `timed out after ${formatDuration(context.timeoutMs)}`
        : crds.failure;
      return await failureReport(
        { operation, release, namespace, why, objects: [] },
        context,
        context.signal,
      );
    }
    // kubeproof could not install them first: helm does, and they get the run's labels afterwards.
    const helmCrds = crds.installed ? [] : await absentShownCrds(helm, chart, context);
    for (const crd of helmCrds) context.onCreated(crd);
    const result = await helm(installArgs(at, { skipCrds: crds.installed, operation, context }));
    const afterwards = AbortSignal.timeout(AFTERWARDS_MS);
    await labelCrds(helmCrds, context);
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

/** helm's --values: the files, then the inline values through a file, so nested maps and lists keep their types. */
async function valuesArgs(
  operation: HelmOperation,
  context: OperationContext,
  valuesDir: string | undefined,
): Promise<string[]> {
  const values = operation.valuesFiles.map((file) => resolve(context.baseDir, file));
  if (operation.values && valuesDir) {
    const file = join(valuesDir, "values.json");
    await writeFile(file, JSON.stringify(operation.values));
    values.push(file);
  }
  return values.flatMap((file) => ["--values", file]);
}

function installArgs(
  at: { release: string; chart: string; namespace: string; values: readonly string[] },
  {
    skipCrds,
    operation,
    context,
  }: { skipCrds: boolean; operation: HelmOperation; context: OperationContext },
): string[] {
  // helm stops itself a little before the operation's deadline, so its own message says what it waited for.
  const helmTimeoutS = Math.max(1, Math.floor((context.timeoutMs * 0.9) / 1000));
  return [
    "upgrade",
    "--install",
    at.release,
    at.chart,
    "--namespace",
    at.namespace,
    "--timeout",
    `${helmTimeoutS}s`,
    ...at.values,
    ...labelsArgs(context.labels),
    ...(operation.wait ? ["--wait"] : []),
    ...(skipCrds ? ["--skip-crds"] : []),
  ];
}

/** helm's --labels: the run's labels on every record of the release (merged into an upgraded one's). */
function labelsArgs(labels: Record<string, string>): string[] {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  return pairs.length > 0 ? ["--labels", pairs.join(",")] : [];
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
