import type { KubeClient } from "../../kube/client.ts";
import type { CertificateRequest } from "../pki.ts";
import type { SpawnedProcess } from "../processes.ts";
import type { JsonValue, PartRecord } from "../state.ts";
import type { ComponentName } from "../versions.ts";

/**
 * A local cluster is a set of parts (etcd, kube-apiserver, ..., and the parts each node provider adds).
 * Each part asks for the ports and install components it needs, writes its own files, starts once the
 * parts it comes `after` are ready, and says when it is ready itself. Its processes are recorded in
 * cluster.json as they start; `down` stops them and runs its provider's cleanup, even after a crash.
 */
export interface ClusterPart {
  /** Unique in the cluster: names its record in cluster.json and its "started"/"ready" events. */
  readonly name: string;
  /** The node provider it belongs to, whose `cleanup` `down` runs for it; none for the control plane. */
  readonly provider?: NodeProviderType;
  /** The install components whose binaries it runs. */
  readonly components: readonly ComponentName[];
  /** Loopback ports it needs, by name, allocated with every other part's before anything starts. */
  readonly ports: readonly string[];
  /** Parts that must be ready before it starts (a part it merely talks to is not one of them). */
  readonly after: readonly string[];
  /** Names of the nodes it brings. */
  readonly nodes?: readonly string[];
  /**
   * What it needs of the control plane: an API server address it creates (the API server then starts
   * after it) or authorizers its nodes need.
   */
  readonly controlPlane?: Omit<ControlPlaneNeeds, "apiAfter">;
  /** Writes its files, certificates and kubeconfigs; every part's prepare runs before any part starts. */
  prepare(ctx: PrepareContext): Promise<void>;
  /** Creates what it needs in the cluster and starts its processes. */
  start(ctx: RunContext): Promise<void> | void;
  /** Resolves once the part does its job (the API answers, its nodes are Ready, ...). */
  ready(ctx: RunContext): Promise<void>;
}

/** Where a certificate and its key were written. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** Who a kubeconfig authenticates as: its client certificate's subject. */
export interface ClientIdentity {
  commonName: string;
  /** The groups, e.g. `system:masters`, or `system:nodes` for a kubelet (CN `system:node:<name>`). */
  organizations: readonly string[];
}

/** What a part may use to set itself up, before any process runs. */
export interface PrepareContext {
  readonly clusterName: string;
  /** The cluster's state directory; every process's command line names it (that is how `down` knows them). */
  readonly dir: string;
  /** The API server's URL. */
  readonly server: string;
  /** A port some part asked for; throws for a name no part asked for. */
  port(name: string): number;
  /** The cluster CA's certificate and key files. */
  readonly ca: CertificateFiles;
  /** Issues a certificate from the cluster CA into `pki/<file>.crt` and `pki/<file>.key` (mode 0600). */
  issueCertificate(file: string, request: CertificateRequest): Promise<CertificateFiles>;
  /** Issues a client certificate for `identity` and writes `kubeconfigs/<file>.kubeconfig` with it. */
  writeKubeconfig(file: string, identity: ClientIdentity): Promise<string>;
}

/** What a part may use to start and to become ready, once the parts it comes after are ready. */
export interface RunContext extends PrepareContext {
  /** An admin client of the API server: it answers once kube-apiserver is ready. */
  readonly client: KubeClient;
  /** Aborts when the start fails elsewhere or times out. */
  readonly signal: AbortSignal;
  /** The path of an installed binary; throws when no enabled part's component provides it. */
  binary(name: string): string;
  /**
   * Starts a process, detached, with its output in `logs/<name>.log`, and records it in cluster.json at
   * once. Its exit fails the start.
   */
  spawn(process: { name: string; binary: string; args: string[] }): SpawnedProcess;
  /** Records what the part's cleanup needs (a mount, a network namespace) in cluster.json, before creating it. */
  record(resources: Record<string, JsonValue>): Promise<void>;
  /** Polls `check` until it holds; rejects with what it waited for when the start aborts. */
  waitFor(what: string, check: () => Promise<boolean>): Promise<void>;
}

/** Kinds of node provider; each has its entry in `nodeProviders` (providers/index.ts). */
export type NodeProviderType = "kwok" | "real";

/** How many nodes a provider is to bring, and their shape. */
export interface NodeRequest {
  clusterName: string;
  count: number;
  /** `nvidia.com/gpu` capacity of each node. */
  gpusPerNode: number;
  /**
   * The cluster also has real nodes: simulated ones get the `kubeproof.dev/simulated` NoSchedule taint,
   * so pods run for real unless they tolerate it.
   */
  realNodesPresent: boolean;
}

/** What a part's nodes need of the control plane. */
export interface ControlPlaneNeeds {
  /** The API server listens and advertises here instead of 127.0.0.1 (a veth end the nodes reach). */
  apiAddress?: string;
  /** Parts the API server starts after (the one that creates `apiAddress`). */
  apiAfter?: readonly string[];
  /** Authorization modes before RBAC, e.g. `Node` for kubelets. */
  authorizers?: readonly string[];
}

/** What a cleanup may use: it runs from cluster.json alone, so it needs no options of the start. */
export interface CleanupContext {
  readonly clusterName: string;
  readonly dir: string;
}

/** A source of nodes: kwok's simulated ones today, real kubelets next. */
export interface NodeProvider {
  readonly type: NodeProviderType;
  /** The parts that bring `request.count` nodes: one process for them all, or parts of each node. */
  parts(request: NodeRequest): ClusterPart[];
  /**
   * Undoes what one of its parts did beyond its processes (unmount, delete a network namespace), from
   * what the part recorded. Runs after every process of the cluster was stopped, also on `down` after
   * a crash; it must succeed when what it undoes is already gone.
   */
  cleanup?(record: PartRecord, ctx: CleanupContext): Promise<void>;
}
