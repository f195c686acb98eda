import type { KubeClient } from "../kube/client.ts";
import { isReady } from "../kube/conditions.ts";
import type { ClusterInfo } from "../model/index.ts";

interface NodeList {
  items?: { metadata?: { name?: string }; status?: { conditions?: { type?: string; status?: string }[] } }[];
}

/**
 * The server's version and the nodes, for reports to say what the run ran against. Best effort and
 * quick: a cluster that does not answer these leaves them out rather than delaying or failing the run.
 */
export async function clusterFacts(
  client: KubeClient,
  known: Pick<ClusterInfo, "version">,
): Promise<Pick<ClusterInfo, "version" | "nodes">> {
  const [version, nodes] = await Promise.all([
    // Connecting to a kubeconfig's cluster already asked for the version: not again.
    known.version ??
      client
        .request<{ gitVersion?: string }>("GET", "/version", { timeoutMs: 5_000 })
        .then((v) => v.gitVersion)
        .catch(() => undefined),
    client
      .request<NodeList>("GET", "/api/v1/nodes", { timeoutMs: 5_000 })
      .then((list) =>
        (list.items ?? []).map((node) => ({
          name: node.metadata?.name ?? "unnamed",
          ready: isReady(node),
        })),
      )
      .catch(() => undefined),
  ]);
  return { ...(version !== undefined ? { version } : {}), ...(nodes !== undefined ? { nodes } : {}) };
}
