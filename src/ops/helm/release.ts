import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../kube/resources.ts";
import type { HelmOperation } from "../../model/index.ts";
import { commandFailure } from "../../process/index.ts";
import { errorMessage } from "../../source/errors.ts";
import { formatEvents, listEvents } from "../inspect/exec.ts";
import type { CreatedObject, OperationContext, OperationOutcome } from "../types.ts";
import type { HelmRunner } from "./exec.ts";

/** What `helm status` says of a release, with the objects of its manifest. */
export interface ReleaseState {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  objects: CreatedObject[];
  /** helm's record of this revision (a Secret, helm's default storage). */
  record: CreatedObject;
}

/** The release as helm records it now; undefined when there is none (the chart did not render). */
export async function releaseState(
  helm: HelmRunner,
  at: { release: string; namespace: string },
  signal: AbortSignal,
): Promise<ReleaseState | undefined> {
  const status = await helm(["status", at.release, "--namespace", at.namespace, "--output", "json"], signal);
  if (commandFailure(status) !== undefined) return undefined;
  const parsed = JSON.parse(status.stdout) as {
    name?: string;
    namespace?: string;
    version?: number;
    info?: { status?: string };
    manifest?: string;
  };
  const revision = parsed.version ?? 1;
  const objects = manifestObjects(parsed.manifest ?? "").map((object) => ({
    ...object,
    namespace: object.namespace ?? at.namespace,
  }));
  return {
    name: parsed.name ?? at.release,
    namespace: parsed.namespace ?? at.namespace,
    revision,
    status: parsed.info?.status ?? "unknown",
    objects,
    record: {
      apiVersion: "v1",
      kind: "Secret",
      name: `sh.helm.release.v1.${at.release}.v${revision}`,
      namespace: at.namespace,
    },
  };
}

/** The objects of a rendered manifest (helm's `---`-separated YAML), in their order. */
export function manifestObjects(manifest: string): CreatedObject[] {
  const objects: CreatedObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    const value = doc.toJS() as Partial<KubeObject> | null;
    const name = value?.metadata?.name;
    if (!value?.apiVersion || !value.kind || !name) continue;
    const namespace = value.metadata?.namespace;
    objects.push({
      apiVersion: value.apiVersion,
      kind: value.kind,
      name,
      ...(namespace ? { namespace } : {}),
    });
  }
  return objects;
}

/**
 * A failed install: helm's reason, then each of the release's resources as the cluster has it and the
 * events about them, one line each in what reporters print; the objects themselves go to the diagnostics.
 */
export async function failureReport(
  failed: {
    operation: HelmOperation;
    release: string;
    namespace: string;
    why: string;
    objects: CreatedObject[];
  },
  context: OperationContext,
  signal: AbortSignal,
): Promise<OperationOutcome> {
  const involved: KubeObject[] = [];
  const more: { message: string }[] = [];
  for (const object of failed.objects) {
    if (signal.aborted) break;
    const current = await context.resources.get(object).catch((error: unknown) => errorMessage(error));
    if (typeof current === "object") involved.push(current);
    const name = `${object.namespace ? `${object.namespace}/` : ""}${object.name}`;
    more.push({ message: `resource ${object.kind} ${name}: ${objectState(current)}` });
  }
  for (const event of await eventsAbout(context, failed, signal)) more.push({ message: `event ${event}` });
  return {
    status: "failed",
    error: {
      message: `helm upgrade --install ${failed.release} ${failed.operation.chart} failed: ${failed.why}`,
      location: failed.operation.location,
      ...(more.length > 0 ? { more } : {}),
    },
    involved,
  };
}

/** A resource's state in a few words: missing, or its Ready/Available condition and replicas. */
function objectState(current: KubeObject | string | undefined): string {
  if (current === undefined) return "not found";
  if (typeof current === "string") return `cannot read: ${current}`;
  const status = (current as { status?: Record<string, unknown> }).status ?? {};
  const parts: string[] = [];
  if (typeof status.replicas === "number")
    parts.push(`${Number(status.readyReplicas ?? 0)}/${status.replicas} ready`);
  const conditions = Array.isArray(status.conditions)
    ? (status.conditions as { type?: string; status?: string; reason?: string; message?: string }[])
    : [];
  for (const condition of conditions.filter((c) => c.status !== "True" || c.type === "Established")) {
    parts.push(`${condition.type}=${condition.status}${condition.reason ? ` (${condition.reason})` : ""}`);
  }
  return parts.length > 0 ? parts.join(", ") : "exists";
}

/** The events about the release's objects and what they own (pods of a Deployment), the last 20. */
async function eventsAbout(
  context: OperationContext,
  failed: { namespace: string; objects: CreatedObject[] },
  signal: AbortSignal,
): Promise<string[]> {
  if (signal.aborted) return [];
  const names = failed.objects.map((o) => o.name);
  const events = await listEvents(context, failed.namespace).catch(() => []);
  const about = events.filter((event) => {
    const name = (event as { involvedObject?: { name?: string } }).involvedObject?.name ?? "";
    return names.some((prefix) => name.startsWith(prefix));
  });
  return about.slice(-20).map((event) => formatEvents([event]).trim());
}
