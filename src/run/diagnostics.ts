import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { KubeClient } from "../kube/client.ts";
import type { KubeObject, Resources } from "../kube/resources.ts";
import type { Attachment, AttachmentContentType, FailureDetail } from "../model/index.ts";
import { formatLocation } from "../model/index.ts";
import { formatEvents, podContainers } from "../ops/inspect/exec.ts";
import { errorMessage } from "../source/errors.ts";
import { imagePullHints } from "./image-hints.ts";

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

/** Text up to this many characters is kept in the attachment itself, so reports need not read it. */
export const INLINE_BODY_LIMIT = 4096;

export interface DiagnosticsOptions {
  dir: string;
  resources: Resources;
  client: KubeClient;
  namespace: string;
  failure: FailureDetail;
  involved: KubeObject[];
}

/** Writes files into one folder and lists each as an attachment, in the order written. */
class AttachmentWriter {
  readonly attachments: Attachment[] = [];
  constructor(private readonly dir: string) {}

  async write(name: string, contentType: AttachmentContentType, text: string): Promise<void> {
    const path = join(this.dir, name);
    await writeFile(path, text);
    const body = text.length <= INLINE_BODY_LIMIT ? { body: text } : {};
    this.attachments.push({ name, path, contentType, ...body });
  }
}

/**
 * Writes what explains a failed test into `dir` and returns the files as attachments: the failure
 * with its location, its diff, the involved objects and the namespace's workloads as YAML, the
 * namespace's events and its pods' logs. Best effort: a diagnostic that cannot be read is noted in
 * `diagnostics-errors.txt`, never fails the run.
 */
export async function collectDiagnostics(
  options: DiagnosticsOptions,
): Promise<{ attachments: Attachment[]; hints: string[] }> {
  const { dir, failure } = options;
  await mkdir(join(dir, "objects"), { recursive: true });
  const out = new AttachmentWriter(dir);
  const notes: string[] = [];
  await out.write("failure.txt", "text/plain", formatFailureText(failure));
  if (failure.diff) await out.write("diff.patch", "text/x-diff", `${failure.diff}\n`);
  const objects = await objectsToSave(options, notes);
  for (const [name, object] of objects) {
    const file = `objects/${`${name}.yaml`.replace(/[^\w.-]/g, "_")}`;
    await out.write(file, "application/yaml", stringify(withoutManagedFields(object)));
  }
  try {
    const events = await options.resources.list({
      apiVersion: "v1",
      kind: "Event",
      namespace: options.namespace,
    });
    await out.write("events.txt", "text/plain", formatEvents(events.items));
  } catch (error) {
    notes.push(`events: ${errorMessage(error)}`);
  }
  await writePodLogs(options, [...objects.values()], { out, notes });
  if (notes.length > 0) await out.write("diagnostics-errors.txt", "text/plain", `${notes.join("\n")}\n`);
  return { attachments: out.attachments, hints: imagePullHints([...objects.values()]) };
}

/** The involved objects and the namespace's workloads, by a file-friendly name. */
async function objectsToSave(options: DiagnosticsOptions, notes: string[]): Promise<Map<string, KubeObject>> {
  const objects = new Map<string, KubeObject>();
  const remember = (object: KubeObject): void => {
    objects.set(
      `${object.kind}-${object.metadata.namespace ?? "cluster"}-${object.metadata.name ?? "unnamed"}`,
      object,
    );
  };
  options.involved.forEach(remember);
  for (const [apiVersion, kind] of namespaceKinds) {
    try {
      (await options.resources.list({ apiVersion, kind, namespace: options.namespace })).items.forEach(
        remember,
      );
    } catch (error) {
      notes.push(`${kind}: ${errorMessage(error)}`);
    }
  }
  return objects;
}

async function writePodLogs(
  options: DiagnosticsOptions,
  objects: readonly KubeObject[],
  sink: { out: AttachmentWriter; notes: string[] },
): Promise<void> {
  const { namespace, client } = options;
  const pods = objects.filter((o) => o.kind === "Pod" && o.metadata.namespace === namespace);
  if (pods.length > 0) await mkdir(join(options.dir, "logs"), { recursive: true });
  for (const pod of pods) {
    for (const container of podContainers(pod)) {
      try {
        const path = `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log`;
        const log = await client.requestText("GET", path, {
          query: { container, tailLines: 1000 },
          timeoutMs: 10_000,
        });
        await sink.out.write(`logs/${pod.metadata.name}_${container}.log`, "text/plain", log);
      } catch (error) {
        sink.notes.push(`logs of ${pod.metadata.name}/${container}: ${errorMessage(error)}`);
      }
    }
  }
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
