import type { KubeClient } from "../kube/client.ts";
import { SyncKube, type SyncRequest } from "../kube/sync-client.ts";
import { registerFunction, type ArgSpec } from "../template/jmespath.ts";

/**
 * Chainsaw's cluster functions (`x_k8s_get`, `x_k8s_list`, `x_k8s_exists`, `x_k8s_resource_exists`,
 * `x_k8s_server_version`) and the `$client` / `$config` bindings they take as first argument. The
 * bindings are plain markers naming a run's cluster; the functions look the cluster up by them, so
 * several runs in one process each reach their own.
 */
export interface ClusterRef {
  kubeproof: "cluster";
  id: string;
  server: string;
}

const clusters = new Map<string, SyncKube>();
const refs = new WeakMap<KubeClient, ClusterRef>();
let next = 0;
let installed = false;

/** `$client` and `$config` for tests run against `client`. */
export function clusterBindings(client: KubeClient): { client: ClusterRef; config: ClusterRef } {
  install();
  let ref = refs.get(client);
  if (!ref) {
    next += 1;
    ref = { kubeproof: "cluster", id: String(next), server: client.target.server };
    refs.set(client, ref);
    clusters.set(ref.id, new SyncKube(client.target));
  }
  return { client: ref, config: ref };
}

/** Stops the lookup worker of `client`'s cluster, if one was started. */
export function releaseClusterBindings(client: KubeClient): void {
  const ref = refs.get(client);
  if (!ref) return;
  clusters.get(ref.id)?.close();
  clusters.delete(ref.id);
  refs.delete(client);
}

const ANY: ArgSpec = { types: ["any"] };
const STRING: ArgSpec = { types: ["string"] };

function install(): void {
  if (installed) return;
  installed = true;
  const define = (name: string, args: ArgSpec[], request: (args: unknown[]) => SyncRequest): void =>
    registerFunction(name, (values) => lookup(name, values[0]).call(request(values)), args);
  const s = (value: unknown): string => (typeof value === "string" ? value : "");
  define("x_k8s_get", [ANY, STRING, STRING, STRING, STRING], ([, apiVersion, kind, namespace, name]) => ({
    op: "get",
    apiVersion: s(apiVersion),
    kind: s(kind),
    namespace: s(namespace),
    name: s(name),
  }));
  define("x_k8s_exists", [ANY, STRING, STRING, STRING, STRING], ([, apiVersion, kind, namespace, name]) => ({
    op: "exists",
    apiVersion: s(apiVersion),
    kind: s(kind),
    namespace: s(namespace),
    name: s(name),
  }));
  define("x_k8s_list", [ANY, STRING, STRING, { ...STRING, optional: true }], ([
    ,
    apiVersion,
    kind,
    namespace,
  ]) => ({
    op: "list",
    apiVersion: s(apiVersion),
    kind: s(kind),
    namespace: s(namespace),
  }));
  define("x_k8s_resource_exists", [ANY, STRING, STRING], ([, apiVersion, kind]) => ({
    op: "resourceExists",
    apiVersion: s(apiVersion),
    kind: s(kind),
  }));
  define("x_k8s_server_version", [ANY], () => ({ op: "version" }));
}

function lookup(name: string, ref: unknown): SyncKube {
  const id =
    ref !== null && typeof ref === "object" && (ref as Partial<ClusterRef>).kubeproof === "cluster"
      ? (ref as ClusterRef).id
      : undefined;
  const cluster = id === undefined ? undefined : clusters.get(id);
  if (!cluster) {
    throw new Error(
      `${name}() takes the cluster as its first argument: pass $client ($config for x_k8s_server_version)`,
    );
  }
  return cluster;
}
