import { existsSync } from "node:fs";
import { delimiter } from "node:path";
import type { ClusterEvent } from "../model/cluster-events.ts";
import { KubeClient } from "../kube/client.ts";
import { KubeconfigError, kubeconfigPaths, loadKubeconfig } from "../kube/kubeconfig.ts";
import { inClusterConfig, writeInClusterKubeconfig, type InClusterOptions } from "../kube/in-cluster.ts";
import { kubeconfigForContext } from "../kube/kubeconfig-for-context.ts";
import type { ClusterInfo } from "../model/index.ts";
import { errorMessage } from "../source/errors.ts";

/** A cluster a run talks to: the client, the kubeconfig scripts get, and what reports show. */
export interface ConnectedCluster {
  client: KubeClient;
  /** Path(s) for `$KUBECONFIG` of scripts and commands: the same cluster and context. */
  kubeconfig: string;
  info: ClusterInfo;
}

/**
 * Which cluster to use. Nothing set: the kubeconfig when one is configured, else, in a pod, its
 * service account (the in-cluster configuration), else the local cluster.
 */
export interface ClusterChoice {
  kubeconfig?: string;
  context?: string;
  /** The embedded local cluster (started, or reused when running), even when a kubeconfig exists. */
  local?: boolean;
  /**
   * Real nodes the local cluster must have (kubeproof.yaml's `cluster.realNodes`); such a cluster is
   * named `kubeproof-real`, so that a running kwok-only `kubeproof` is not taken for it.
   */
  realNodes?: number;
  /** Where the in-cluster configuration is looked for (the environment, the token's directory); for tests. */
  inCluster?: InClusterOptions;
  /** Progress of a local cluster's start (binaries, components, nodes). */
  onEvent?: (event: ClusterEvent) => void;
  signal?: AbortSignal;
}

/** A cluster choice that cannot work (a missing file, an unknown context): nothing was touched. */
export class ClusterChoiceError extends Error {
  override name = "ClusterChoiceError";
}

/** True when a kubeconfig is configured: the given file, $KUBECONFIG, or ~/.kube/config. */
export function kubeconfigConfigured(kubeconfig?: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return kubeconfigPaths(kubeconfig, env).some((path) => existsSync(path));
}

/**
 * Connects to the cluster a run uses: the embedded local cluster (started, or reused when already
 * running) with `local` or when no kubeconfig is configured and the process is not in a pod; otherwise
 * the kubeconfig's context (in a pod, its service account), checked to answer. The caller closes the
 * client.
 */
export async function connectCluster(given: ClusterChoice): Promise<ConnectedCluster> {
  const choice = await withInCluster(given);
  checkChoice(choice);
  if (choice.local === true || !kubeconfigConfigured(choice.kubeconfig, choice.inCluster?.env))
    return connectLocal(choice);
  let target;
  try {
    target = await loadKubeconfig({
      path: choice.kubeconfig,
      context: choice.context,
      ...(choice.inCluster?.env ? { env: choice.inCluster.env } : {}),
    });
  } catch (error) {
    if (error instanceof KubeconfigError) throw new ClusterChoiceError(error.message);
    throw error;
  }
  const client = new KubeClient(target);
  let version: string | undefined;
  try {
    version = (await client.request<{ gitVersion?: string }>("GET", "/version", { timeoutMs: 10_000 }))
      .gitVersion;
  } catch (error) {
    client.close();
    throw new Error(
      `cannot reach the cluster of context "${target.contextName}" at ${target.server}: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  // Scripts and commands see the same cluster: the kubeconfig list in use, with the chosen context.
  const paths = kubeconfigPaths(choice.kubeconfig, choice.inCluster?.env).filter((p) => existsSync(p));
  const kubeconfig = choice.context
    ? await kubeconfigForContext(paths, choice.context)
    : paths.join(delimiter);
  return {
    client,
    kubeconfig,
    info: {
      kind: "kubeconfig",
      context: target.contextName,
      server: target.server,
      ...(version === undefined ? {} : { version }),
    },
  };
}

/**
 * No kubeconfig configured ($KUBECONFIG unset or empty, no ~/.kube/config) but in a pod: the pod's
 * service account, through a kubeconfig written for it, so that scripts and commands get the same
 * cluster in $KUBECONFIG. Before the local cluster, which would otherwise start inside the pod.
 */
async function withInCluster(choice: ClusterChoice): Promise<ClusterChoice> {
  const env = choice.inCluster?.env ?? process.env;
  if (choice.local === true || choice.kubeconfig || env.KUBECONFIG || kubeconfigConfigured(undefined, env))
    return choice;
  const config = await inClusterConfig(choice.inCluster);
  if (config === undefined) return choice;
  return { ...choice, kubeconfig: await writeInClusterKubeconfig(config, choice.inCluster?.kubeconfigDir) };
}

function checkChoice(choice: ClusterChoice): void {
  if (choice.local === true && (choice.kubeconfig || choice.context)) {
    throw new ClusterChoiceError(
      "--cluster local starts its own cluster: drop --kubeconfig / --context, or drop --cluster",
    );
  }
  if (choice.kubeconfig && !existsSync(choice.kubeconfig)) {
    throw new ClusterChoiceError(
      `--kubeconfig ${choice.kubeconfig}: no such file (omit it to use $KUBECONFIG, ~/.kube/config or the local cluster)`,
    );
  }
  if (choice.local !== true && !kubeconfigConfigured(choice.kubeconfig) && choice.context) {
    throw new ClusterChoiceError(
      `--context ${choice.context}: no kubeconfig found ($KUBECONFIG and ~/.kube/config are absent); pass --kubeconfig`,
    );
  }
}

async function connectLocal(choice: ClusterChoice): Promise<ConnectedCluster> {
  // Loaded only here: the local cluster's modules (PKI, installer, processes) cost start-up time and
  // memory that a run against a kubeconfig never needs.
  const { startLocalCluster } = await import("../cluster/local-cluster.ts");
  const realNodes = choice.realNodes ?? 0;
  const cluster = await startLocalCluster({
    name: realNodes > 0 ? "kubeproof-real" : "kubeproof",
    // One node, as kind's default cluster and Chainsaw's own CI: tests that count nodes expect one.
    // With a real node that one is the real node.
    nodes: { kwok: realNodes > 0 ? 0 : 1, real: realNodes },
    reuse: true,
    ...(choice.onEvent ? { onEvent: choice.onEvent } : {}),
    ...(choice.signal ? { signal: choice.signal } : {}),
  });
  const target = await loadKubeconfig({ path: cluster.kubeconfig });
  return {
    client: new KubeClient(target),
    kubeconfig: cluster.kubeconfig,
    info: { kind: "local", context: cluster.name, server: target.server },
  };
}
