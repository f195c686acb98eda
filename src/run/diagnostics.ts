import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { KubeClient } from "../kube/client.ts";
import type { KubeObject, Resources } from "../kube/resources.ts";
import type { FailureDetail } from "../model/index.ts";
import { formatLocation } from "../model/index.ts";
import { formatEvents, podContainers } from "../ops/inspect/exec.ts";

/** Kinds whose objects in the test namespace are saved on failure, besides the ones involved. */
const namespaceKinds: [string, string][] = [
  ["v1", "Pod"],
  ["apps/v1", "Deployment"],
  ["apps/v1", "ReplicaSet"],
  ["apps/v1", "StatefulSet"],
  ["batch/v1", "Job"],
  ["v1", "Service"],
  ["v1", "ConfigMap"],
];

/**
 * Writes what explains a failed test into `dir`: the failure with its location and diff, the
 * involved objects and the namespace's workloads as YAML, the namespace's events and its pods' logs.
 * Best effort: a diagnostic that cannot be read is noted, never fails the run.
 */
export async function collectDiagnostics(options: {
  dir: string;
  resources: Resources;
  client: KubeClient;
  namespace: string;
  failure: FailureDetail;
  involved: KubeObject[];
}): Promise<void> {
  const { dir, resources, client, namespace, failure } = options;
  await mkdir(join(dir, "objects"), { recursive: true });
  await writeFile(join(dir, "failure.txt"), formatFailureText(failure));
  const objects = new Map<string, KubeObject>();
  const remember = (object: KubeObject): void => {
    objects.set(
      `${object.kind}-${object.metadata.namespace ?? "cluster"}-${object.metadata.name ?? "unnamed"}`,
      object,
    );
  };
  options.involved.forEach(remember);
  const notes: string[] = [];
  for (const [apiVersion, kind] of namespaceKinds) {
    try {
      (await resources.list({ apiVersion, kind, namespace })).items.forEach(remember);
    } catch (error) {
      notes.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  for (const [name, object] of objects) {
    await writeFile(
      join(dir, "objects", `${name}.yaml`.replace(/[^\w.-]/g, "_")),
      stringify(withoutManagedFields(object)),
    );
  }
  try {
    const events = await resources.list({ apiVersion: "v1", kind: "Event", namespace });
    await writeFile(join(dir, "events.txt"), formatEvents(events.items));
  } catch (error) {
    notes.push(`events: ${error instanceof Error ? error.message : String(error)}`);
  }
  const pods = [...objects.values()].filter((o) => o.kind === "Pod" && o.metadata.namespace === namespace);
  if (pods.length > 0) await mkdir(join(dir, "logs"), { recursive: true });
  for (const pod of pods) {
    for (const container of podContainers(pod)) {
      const file = join(dir, "logs", `${pod.metadata.name}_${container}.log`);
      try {
        const path = `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log`;
        await writeFile(
          file,
          await client.requestText("GET", path, { query: { container, tailLines: 1000 }, timeoutMs: 10_000 }),
        );
      } catch (error) {
        notes.push(
          `logs of ${pod.metadata.name}/${container}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
  if (notes.length > 0) await writeFile(join(dir, "diagnostics-errors.txt"), `${notes.join("\n")}\n`);
}

export function formatFailureText(failure: FailureDetail): string {
  const lines = [`${failure.location ? `${formatLocation(failure.location)}: ` : ""}${failure.message}`];
  for (const more of failure.more ?? [])
    lines.push(`${more.location ? `${formatLocation(more.location)}: ` : ""}${more.message}`);
  if (failure.diff) lines.push("", failure.diff);
  return `${lines.join("\n")}\n`;
}

function withoutManagedFields(object: KubeObject): KubeObject {
  const { managedFields: _managed, ...metadata } = object.metadata;
  return { ...object, metadata };
}
