import { isReady } from "../../kube/conditions.ts";
import type { ProbeTarget, ProbeTransport } from "../../model/index.ts";
import type { Bindings } from "../../template/bindings.ts";
import { templateValue } from "../../template/template.ts";
import { OperationError, type OperationContext } from "../types.ts";

/** A target with its expressions evaluated and, for a pod, the pod chosen. */
export type ResolvedTarget =
  | { kind: "service"; namespace: string; name: string; port: string }
  | { kind: "pod"; namespace: string; name: string; ip: string; port: string }
  | { kind: "url"; url: URL }
  | { kind: "apiServer" }
  | { kind: "node"; name: string };

export interface PodObject {
  metadata: { name: string };
  spec?: { containers?: { name: string }[] };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

function text(value: string, bindings: Bindings): string {
  const out = templateValue(value, bindings);
  return typeof out === "string" || typeof out === "number" ? String(out) : JSON.stringify(out);
}

/** Picks a pod by name, or the first Ready one (by name) of a selector. */
export async function choosePod(
  ref: { name?: string; selector?: string; namespace?: string },
  bindings: Bindings,
  context: OperationContext,
): Promise<PodObject & { namespace: string }> {
  const namespace = ref.namespace ? text(ref.namespace, bindings) : context.namespace;
  const base = `/api/v1/namespaces/${namespace}/pods`;
  if (ref.name !== undefined) {
    const pod = await context.client.request<PodObject>("GET", `${base}/${text(ref.name, bindings)}`, {
      signal: context.signal,
    });
    return { ...pod, namespace };
  }
  const selector = text(ref.selector ?? "", bindings);
  const list = await context.client.request<{ items: PodObject[] }>("GET", base, {
    query: { labelSelector: selector },
    signal: context.signal,
  });
  const ready = list.items.filter(isReady).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const chosen = ready[0];
  if (!chosen) {
    const seen = list.items.map((p) => `${p.metadata.name} (${p.status?.phase ?? "?"}, not Ready)`);
    throw new OperationError(
      `no Ready pod in ${namespace} matches ${JSON.stringify(selector)}${seen.length > 0 ? `: ${seen.join(", ")}` : " (none match)"}`,
    );
  }
  return { ...chosen, namespace };
}

export async function resolveTarget(
  target: ProbeTarget,
  bindings: Bindings,
  context: OperationContext,
): Promise<ResolvedTarget> {
  switch (target.kind) {
    case "service":
      return {
        kind: "service",
        namespace: target.namespace ? text(target.namespace, bindings) : context.namespace,
        name: text(target.name, bindings),
        port: text(target.port, bindings),
      };
    case "pod": {
      const pod = await choosePod(target, bindings, context);
      return {
        kind: "pod",
        namespace: pod.namespace,
        name: pod.metadata.name,
        ip: pod.status?.podIP ?? "",
        port: text(target.port, bindings),
      };
    }
    case "url":
      return { kind: "url", url: new URL(text(target.url, bindings)) };
    case "apiServer":
      return target;
    case "node":
      return { kind: "node", name: text(target.name, bindings) };
  }
}

/** `name.namespace.svc[.cluster.local]`: a URL the API server's service proxy can reach. */
const SERVICE_HOST = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/;

/** A URL target naming a Service, as the service target it is; other targets unchanged. */
export function asServiceTarget(target: ResolvedTarget): ResolvedTarget {
  if (target.kind !== "url") return target;
  const found = SERVICE_HOST.exec(target.url.hostname);
  if (!found) return target;
  const port = target.url.port || (target.url.protocol === "https:" ? "443" : "80");
  return { kind: "service", name: found[1] ?? "", namespace: found[2] ?? "", port };
}

/**
 * The transport a request takes. The API server's proxy costs no pod and one hop, so auto takes it
 * whenever it can carry the request: not when the request has an `Authorization` header (the API
 * server authenticates with it and removes it before proxying), nor for a URL that names no Service.
 */
export function chooseTransport(
  wanted: ProbeTransport,
  target: ResolvedTarget,
  headers: Record<string, string>,
): "proxy" | "pod" {
  const hasAuthorization = Object.keys(headers).some((h) => h.toLowerCase() === "authorization");
  const proxyable = target.kind !== "url";
  const podable = target.kind === "service" || target.kind === "pod" || target.kind === "url";
  if (wanted === "proxy") {
    if (target.kind === "url")
      throw new OperationError(
        `the API server's proxy reaches Services and pods, not ${target.url.host}: use transport pod or auto`,
      );
    if (hasAuthorization)
      throw new OperationError(
        "the API server's proxy cannot carry an Authorization header (the API server consumes it): use transport pod or auto",
      );
    return "proxy";
  }
  if (wanted === "pod") {
    if (!podable) throw new OperationError(`transport pod cannot reach the ${target.kind} target: use proxy`);
    return "pod";
  }
  return proxyable && !(hasAuthorization && podable) ? "proxy" : "pod";
}
