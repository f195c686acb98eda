import { parseAllDocuments } from "yaml";
import { ApiError } from "../../kube/client.ts";
import { hasTrueCondition } from "../../kube/conditions.ts";
import { observe } from "../../kube/observe.ts";
import type { KubeObject } from "../../kube/resources.ts";
import { commandFailure } from "../../process/index.ts";
import { apiErrorMessage } from "../common.ts";
import type { CreatedObject, OperationContext } from "../types.ts";
import type { HelmRunner } from "./exec.ts";
import { manifestObjects } from "./release.ts";

const crdType = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition" };

/** How long helm waits for the CRDs it created from crds/ to be Established (helm's installCRDs). */
const ESTABLISHED_MS = 60_000;

/** Where helm's install, its chart and values are: what `helm template` needs to see what it sees. */
export interface ChartAt {
  release: string;
  namespace: string;
  chart: string;
  /** The install's --values arguments, so that subcharts a condition disables are left out as helm does. */
  valuesArgs: readonly string[];
}

/**
 * What kubeproof did with the chart's crds/ before helm: `installed` when it created the absent ones
 * itself (helm then runs with --skip-crds), `failure` when one could not be created or Established.
 */
export interface CrdsOutcome {
  installed: boolean;
  failure?: string;
}

/**
 * Creates the CRDs of the chart's crds/ (its subcharts' included) that helm's install would create,
 * with the run's labels already on them, so `kubeproof clean` finds them after a run killed at any
 * point. helm's own rule: only on install (no release of that name yet, or one uninstalled; an
 * upgrade installs no crds/), only CRDs that do not exist (one that exists is left as it is), the
 * subcharts a condition or tag disables left out; then the new ones are waited for until
 * Established. Each is recorded as created when created. `installed` is false when kubeproof cannot tell what helm would install
 * (helm's chart cannot be rendered here, or its history not read): helm then installs crds/ itself.
 */
export async function installChartCrds(
  helm: HelmRunner,
  at: ChartAt,
  context: OperationContext,
): Promise<CrdsOutcome> {
  const install = await isInstall(helm, at);
  if (install === undefined) return { installed: false };
  if (!install) return { installed: true }; // An upgrade: helm installs no crds/.
  const rendered = await helm([
    "template",
    at.release,
    at.chart,
    "--namespace",
    at.namespace,
    "--include-crds",
    ...at.valuesArgs,
  ]);
  if (commandFailure(rendered) !== undefined) return { installed: false };
  const created: string[] = [];
  for (const crd of crdsOfCrdsDirs(rendered.stdout)) {
    const name = crd.metadata.name ?? "";
    const labels = { ...crd.metadata.labels, ...context.labels };
    try {
      await context.resources.create(
        { ...crd, metadata: { ...crd.metadata, labels } },
        { fieldValidation: "Warn" }, // The server's default, as helm writes them.
      );
    } catch (error) {
      if (error instanceof ApiError && error.reason === "AlreadyExists") continue; // Not ours.
      return { installed: true, failure: `failed to install CRD ${name}: ${apiErrorMessage(error)}` };
    }
    context.onCreated({ ...crdType, name });
    created.push(name);
  }
  const failure = await waitEstablished(created, context);
  return failure === undefined ? { installed: true } : { installed: true, failure };
}

/**
 * Whether `helm upgrade --install` installs (helm's rule: no release of that name, or its last
 * revision uninstalled) rather than upgrades; undefined when helm cannot say.
 */
async function isInstall(helm: HelmRunner, at: ChartAt): Promise<boolean | undefined> {
  const history = await helm([
    "history",
    at.release,
    "--namespace",
    at.namespace,
    "--max",
    "1",
    "-o",
    "json",
  ]);
  if (commandFailure(history) !== undefined)
    return /release: not found/.test(history.stderr) ? true : undefined;
  try {
    const revisions = JSON.parse(history.stdout) as { status?: string }[];
    return revisions.at(-1)?.status === "uninstalled";
  } catch {
    return undefined;
  }
}

/**
 * The CRDs in `helm template --include-crds` output that come from a crds/ folder, the chart's or a
 * subchart's (`# Source: chart/crds/x.yaml`, `chart/charts/sub/crds/x.yaml`), not from templates/.
 * helm prints each crds/ file as it is, so a file's later documents carry no Source line of their own.
 */
export function crdsOfCrdsDirs(rendered: string): KubeObject[] {
  const found: KubeObject[] = [];
  let source = "";
  for (const chunk of rendered.split(/^---[ \t]*$/m)) {
    source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim() ?? source;
    if (!/^[^/]+(?:\/charts\/[^/]+)*\/crds\//.test(source)) continue;
    for (const doc of parseAllDocuments(chunk)) {
      const value = doc.toJS() as Partial<KubeObject> | null;
      if (value?.kind !== crdType.kind || !value.apiVersion || !value.metadata?.name) continue;
      found.push(value as KubeObject);
    }
  }
  return found;
}

/** Waits until each named CRD is Established, as helm does, within helm's 60 s and the operation's deadline. */
async function waitEstablished(names: string[], context: OperationContext): Promise<string | undefined> {
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(ESTABLISHED_MS)]);
  for (const name of names) {
    const established = await observe(context.resources, { ...crdType, name }, signal, (objects) =>
      objects.some((crd) => hasTrueCondition(crd, "Established")),
    );
    if (!established) return `CRD ${name} not Established`;
  }
  return undefined;
}

/** The CRDs of the chart's crds/ (all subcharts') that the cluster does not have yet, per `helm show crds`. */
export async function absentShownCrds(
  helm: HelmRunner,
  chart: string,
  context: OperationContext,
): Promise<CreatedObject[]> {
  const shown = await helm(["show", "crds", chart]);
  // A chart that cannot be read fails the install itself, with helm's message.
  if (commandFailure(shown) !== undefined) return [];
  const absent: CreatedObject[] = [];
  for (const object of manifestObjects(shown.stdout)) {
    if (object.kind !== crdType.kind) continue;
    if (!(await context.resources.get({ ...crdType, name: object.name }))) absent.push(object);
  }
  return absent;
}

/**
 * The run's labels on CRDs helm installed from crds/ itself (when kubeproof could not install them
 * first): helm applies no post-renderer or label to them. Best effort: one not labelled is still
 * deleted by the test's cleanup; only `kubeproof clean` would miss it.
 */
export async function labelCrds(crds: readonly CreatedObject[], context: OperationContext): Promise<void> {
  if (Object.keys(context.labels).length === 0) return;
  for (const crd of crds) {
    const metadata = { name: crd.name, labels: context.labels };
    await context.resources
      .patch({ apiVersion: crd.apiVersion, kind: crd.kind, metadata })
      .catch(() => undefined); // Not installed (the install failed first) or not ours to change.
  }
}
