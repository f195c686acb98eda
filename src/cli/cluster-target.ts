import { existsSync } from "node:fs";
import { delimiter } from "node:path";
import { KubeClient } from "../kube/client.ts";
import { KubeconfigError, kubeconfigPaths, loadKubeconfig } from "../kube/kubeconfig.ts";
import { kubeconfigForContext } from "../kube/kubeconfig-for-context.ts";
import type { ClusterInfo } from "../model/index.ts";
import { UsageError } from "./errors.ts";
import { ClusterProgressReporter } from "../report/cluster-progress.ts";

export interface ClusterTarget {
  client: KubeClient;
  kubeconfig: string;
  info: ClusterInfo;
}

export interface ClusterChoice {
  kubeconfig?: string;
  context?: string;
  /** `local`: the embedded cluster even when a kubeconfig exists. */
  cluster?: string;
  signal: AbortSignal;
}

/** True when a kubeconfig is configured: a flag, $KUBECONFIG, or ~/.kube/config. */
export function kubeconfigConfigured(choice: ClusterChoice): boolean {
  return kubeconfigPaths(choice.kubeconfig).some((path) => existsSync(path));
}

/**
 * The cluster a test run uses: the embedded local cluster (started, or reused when already running)
 * with `--cluster local` or when no kubeconfig is configured; otherwise the kubeconfig's context.
 */
export async function resolveCluster(choice: ClusterChoice): Promise<ClusterTarget> {
  if (choice.cluster !== undefined && choice.cluster !== "local") {
    throw new UsageError(
      `--cluster accepts only "local" (for a kubeconfig use --kubeconfig / --context), got "${choice.cluster}"`,
    );
  }
  if (choice.cluster === "local" && (choice.kubeconfig || choice.context)) {
    throw new UsageError(
      "--cluster local starts its own cluster: drop --kubeconfig / --context, or drop --cluster",
    );
  }
  if (choice.kubeconfig && !existsSync(choice.kubeconfig)) {
    throw new UsageError(
      `--kubeconfig ${choice.kubeconfig}: no such file (omit it to use $KUBECONFIG, ~/.kube/config or the local cluster)`,
    );
  }
  if (choice.cluster !== "local" && !kubeconfigConfigured(choice) && choice.context) {
    throw new UsageError(
      `--context ${choice.context}: no kubeconfig found ($KUBECONFIG and ~/.kube/config are absent); pass --kubeconfig`,
    );
  }
  if (choice.cluster === "local" || !kubeconfigConfigured(choice)) {
    // Loaded only here: the local cluster's modules (PKI, installer, processes) cost start-up time and
    // memory that a run against a kubeconfig never needs.
    const { startLocalCluster } = await import("../cluster/local-cluster.ts");
    const progress = new ClusterProgressReporter(process.stderr);
    const cluster = await startLocalCluster({
      name: "kubeproof",
      nodes: 2,
      reuse: true,
      onEvent: progress.onEvent,
      signal: choice.signal,
    });
    const target = await loadKubeconfig({ path: cluster.kubeconfig });
    return {
      client: new KubeClient(target),
      kubeconfig: cluster.kubeconfig,
      info: { kind: "local", context: cluster.name, server: target.server },
    };
  }
  let target;
  try {
    target = await loadKubeconfig({ path: choice.kubeconfig, context: choice.context });
  } catch (error) {
    // A context that does not exist or a broken kubeconfig is an input error: nothing was touched.
    if (error instanceof KubeconfigError) throw new UsageError(error.message);
    throw error;
  }
  const client = new KubeClient(target);
  try {
    await client.request("GET", "/version", { timeoutMs: 10_000 });
  } catch (error) {
    client.close();
    throw new Error(
      `cannot reach the cluster of context "${target.contextName}" at ${target.server}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  // Scripts and commands see the same cluster: the kubeconfig list in use, with the chosen context.
  const paths = kubeconfigPaths(choice.kubeconfig).filter((p) => existsSync(p));
  const kubeconfig = choice.context
    ? await kubeconfigForContext(paths, choice.context)
    : paths.join(delimiter);
  return {
    client,
    kubeconfig,
    info: { kind: "kubeconfig", context: target.contextName, server: target.server },
  };
}
