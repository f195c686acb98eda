import { existsSync } from "node:fs";
import { KubeClient } from "../kube/client.ts";
import { KubeconfigError, loadKubeconfig } from "../kube/kubeconfig.ts";
import { kubeconfigForContext } from "../kube/kubeconfig-for-context.ts";
import { Resources } from "../kube/resources.ts";
import type { ClusterDefinition, ClusterSelection } from "../model/index.ts";
import { OperationError } from "../ops/types.ts";
import type { Bindings } from "../template/bindings.ts";
import { templateString } from "../template/template.ts";
import { releaseClusterBindings } from "./cluster-functions.ts";

/**
 * Chainsaw's multi-cluster tests: `clusters` (in the configuration, a test, a step or an operation)
 * name kubeconfig files and contexts; `cluster` on a test, step or operation selects one of them, the
 * innermost setting winning. An empty name, or none anywhere, is the run's own cluster.
 */

/** A cluster selected by name, connected for the rest of the run. */
export interface NamedCluster {
  name: string;
  client: KubeClient;
  resources: Resources;
  /** `$KUBECONFIG` for scripts and commands run against it. */
  kubeconfig: string;
}

/** The run's connections to named clusters: opened on first use, closed once by the runner. */
export class ClusterConnections {
  private readonly open = new Map<string, Promise<NamedCluster>>();

  connect(name: string, definition: ClusterDefinition): Promise<NamedCluster> {
    const key = `${definition.kubeconfig}\0${definition.context ?? ""}`;
    let connection = this.open.get(key);
    if (connection === undefined) {
      connection = connectNamed(name, definition);
      this.open.set(key, connection);
      // A failed connection is retried by the next operation that selects the cluster.
      connection.catch(() => this.open.delete(key));
    }
    return connection;
  }

  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    for (const connection of all) {
      const named = await connection.catch(() => undefined);
      if (named === undefined) continue;
      releaseClusterBindings(named.client);
      named.client.close();
    }
  }
}

async function connectNamed(name: string, definition: ClusterDefinition): Promise<NamedCluster> {
  const { kubeconfig, context } = definition;
  if (!existsSync(kubeconfig)) {
    throw new OperationError(`cluster "${name}": kubeconfig ${kubeconfig} does not exist`);
  }
  try {
    const target = await loadKubeconfig({ path: kubeconfig, ...(context === undefined ? {} : { context }) });
    const client = new KubeClient(target);
    const scripts = context === undefined ? kubeconfig : await kubeconfigForContext([kubeconfig], context);
    return { name, client, resources: new Resources(client), kubeconfig: scripts };
  } catch (error) {
    if (error instanceof KubeconfigError) throw new OperationError(`cluster "${name}": ${error.message}`);
    throw error;
  }
}

/**
 * The cluster that `layers` (innermost first: operation, step, test) select, or `undefined` for the
 * run's own. A name is looked up in the layers' `clusters`, innermost first, then the configuration's.
 */
export async function selectCluster(
  layers: readonly ClusterSelection[],
  configured: Readonly<Record<string, ClusterDefinition>> | undefined,
  bindings: Bindings,
  connections: ClusterConnections,
): Promise<NamedCluster | undefined> {
  const written = layers.find((layer) => layer.cluster !== undefined)?.cluster;
  if (written === undefined) return undefined;
  const name = templateString(written, bindings);
  if (name === "") return undefined;
  const definition =
    layers.map((layer) => layer.clusters?.[name]).find((d) => d !== undefined) ?? configured?.[name];
  if (definition === undefined) {
    const known = [
      ...new Set([...layers.flatMap((l) => Object.keys(l.clusters ?? {})), ...Object.keys(configured ?? {})]),
    ];
    throw new OperationError(
      `cluster "${name}" is not defined: ${known.length > 0 ? `known clusters are ${known.join(", ")}` : "no clusters are defined"}; add it to clusters (in the operation, step, test or configuration)`,
    );
  }
  return connections.connect(name, definition);
}
