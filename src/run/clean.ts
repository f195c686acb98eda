import { describeObject, type KubeObject, type Resources } from "../kube/resources.ts";
import { runLabel } from "./labels.ts";
import { errorMessage } from "../source/errors.ts";

export interface CleanResult {
  deleted: string[];
  failed: string[];
}

/**
 * Deletes what test runs left behind, found by the run label every created object carries:
 * labelled namespaces (with everything in them), then labelled objects elsewhere. `runId` limits it
 * to one run. Used after a run was killed before it could clean up (`kubeproof clean`).
 */
export async function cleanRuns(
  resources: Resources,
  options: { runId?: string; dryRun?: boolean } = {},
): Promise<CleanResult> {
  const labelSelector = options.runId ? `${runLabel}=${options.runId}` : runLabel;
  const result: CleanResult = { deleted: [], failed: [] };
  const namespaces = (await resources.list({ apiVersion: "v1", kind: "Namespace", labelSelector })).items;
  const doomed = new Set(namespaces.map((n) => n.metadata.name));
  const targets: KubeObject[] = [...namespaces];
  for (const info of await resources.discovery.allListable()) {
    if (!info.verbs.includes("delete") || info.kind === "Namespace" || info.kind === "Event") continue;
    const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
    try {
      const { items } = await resources.list({ apiVersion, kind: info.kind, labelSelector });
      targets.push(
        ...items.filter((item) => !item.metadata.namespace || !doomed.has(item.metadata.namespace)),
      );
    } catch {
      // Some aggregated or restricted resources cannot be listed; they are not ours to clean.
    }
  }
  for (const object of targets) {
    const what = describeObject(object);
    if (options.dryRun) {
      result.deleted.push(what);
      continue;
    }
    try {
      await resources.delete({
        apiVersion: object.apiVersion,
        kind: object.kind,
        name: object.metadata.name,
        namespace: object.metadata.namespace,
      });
      result.deleted.push(what);
    } catch (error) {
      result.failed.push(`${what}: ${errorMessage(error)}`);
    }
  }
  return result;
}
