import { describeObject, type KubeObject, type Resources } from "../kube/resources.ts";
import { recordedRelease } from "../ops/helm/record.ts";
import type { CreatedObject } from "../ops/types.ts";
import { errorMessage } from "../source/errors.ts";
import { runLabel } from "./labels.ts";

export interface CleanResult {
  deleted: string[];
  failed: string[];
}

/**
 * Deletes what test runs left behind, found by the run label every created object carries:
 * labelled namespaces (with everything in them), then labelled objects elsewhere, and what the
 * labelled helm release records list (a chart's ClusterRole, say: helm creates a chart's objects as
 * the chart says, without kubeproof's labels). `runId` limits it to one run. Used after a run was
 * killed before it could clean up (`kubeproof clean`).
 */
export async function cleanRuns(
  resources: Resources,
  options: { runId?: string; dryRun?: boolean } = {},
): Promise<CleanResult> {
  const labelSelector = options.runId ? `${runLabel}=${options.runId}` : runLabel;
  const result: CleanResult = { deleted: [], failed: [] };
  const namespaces = (await resources.list({ apiVersion: "v1", kind: "Namespace", labelSelector })).items;
  const doomed = new Set(namespaces.map((n) => n.metadata.name));
  const labelled = await labelledObjects(resources, labelSelector);
  // By apiVersion, kind, namespace and name: a release's records list the same objects.
  const targets = new Map<string, CreatedObject>();
  const add = (object: CreatedObject): void => {
    targets.set(`${object.apiVersion} ${object.kind} ${object.namespace ?? ""}/${object.name}`, object);
  };
  namespaces.map(reference).forEach(add);
  for (const object of [...labelled.map(reference), ...(await releasedObjects(resources, labelled))]) {
    // A doomed namespace takes what is in it along.
    if (object.namespace === undefined || !doomed.has(object.namespace)) add(object);
  }
  for (const object of targets.values()) {
    const what = describeObject({ kind: object.kind, metadata: object });
    if (options.dryRun) {
      result.deleted.push(what);
      continue;
    }
    try {
      await resources.delete(object);
      result.deleted.push(what);
    } catch (error) {
      result.failed.push(`${what}: ${errorMessage(error)}`);
    }
  }
  return result;
}

/** Every deletable object but namespaces and events with the run label, in any namespace. */
async function labelledObjects(resources: Resources, labelSelector: string): Promise<KubeObject[]> {
  const found: KubeObject[] = [];
  for (const info of await resources.discovery.allListable()) {
    if (!info.verbs.includes("delete") || info.kind === "Namespace" || info.kind === "Event") continue;
    const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    try {
      found.push(...(await resources.list({ apiVersion, kind: info.kind, labelSelector })).items);
    } catch {
      // Some aggregated or restricted resources cannot be listed; they are not ours to clean.
    }
  }
  return found;
}

/**
 * The objects that the helm release records among `labelled` list and that still exist, cluster-scoped
 * ones without a namespace. The release's own objects are read from the record, not found by labels:
 * helm writes the record (with the run's labels, helm's --labels) before it creates anything.
 */
async function releasedObjects(resources: Resources, labelled: KubeObject[]): Promise<CreatedObject[]> {
  const found: CreatedObject[] = [];
  for (const record of labelled) {
    let release;
    try {
      release = recordedRelease(record);
    } catch {
      continue; // Not a record helm could read either: its Secret itself is still deleted.
    }
    for (const object of release?.objects ?? []) {
      const info = await resources.info(object.apiVersion, object.kind).catch(() => undefined);
      if (!info) continue; // A kind gone since (the chart's CRD deleted): nothing of it is left.
      const { namespace: _namespace, ...rest } = object;
      const ref = info.namespaced ? object : rest;
      if (await resources.get(ref).catch(() => undefined)) found.push(ref);
    }
  }
  return found;
}

function reference(object: KubeObject): CreatedObject {
  const { name, namespace } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: name ?? "",
    ...(namespace ? { namespace } : {}),
  };
}
