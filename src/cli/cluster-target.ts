import { ClusterProgressReporter } from "../report/cluster-progress.ts";
import { ClusterChoiceError, connectCluster, type ConnectedCluster } from "../run/cluster-target.ts";
import { UsageError } from "./errors.ts";

export type ClusterTarget = ConnectedCluster;

/** The cluster flags of `test` and `clean`. */
export interface ClusterFlags {
  kubeconfig?: string;
  context?: string;
  /** `local`: the embedded cluster even when a kubeconfig exists. */
  cluster?: string;
  signal: AbortSignal;
}

/** `--cluster` takes only `local`; the rest is the library's cluster choice, with progress on stderr. */
export function clusterChoice(flags: ClusterFlags): Parameters<typeof connectCluster>[0] {
  if (flags.cluster !== undefined && flags.cluster !== "local") {
    throw new UsageError(
      `--cluster accepts only "local" (for a kubeconfig use --kubeconfig / --context), got "${flags.cluster}"`,
    );
  }
  return {
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    local: flags.cluster === "local",
    onEvent: new ClusterProgressReporter(process.stderr).onEvent,
    signal: flags.signal,
  };
}

/**
 * The cluster a command uses: the embedded local cluster (started, or reused when already running)
 * with `--cluster local` or when no kubeconfig is configured and not in a pod; otherwise the
 * kubeconfig's context, or the pod's service account.
 */
export async function resolveCluster(flags: ClusterFlags): Promise<ClusterTarget> {
  try {
    return await connectCluster(clusterChoice(flags));
  } catch (error) {
    if (error instanceof ClusterChoiceError) throw new UsageError(error.message);
    throw error;
  }
}
