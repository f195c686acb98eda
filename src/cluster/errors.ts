/** A local cluster that could not start, or options that cannot make one. */
export class ClusterStartError extends Error {
  override name = "ClusterStartError";
}

/** This machine cannot run a real node (not root, not Linux, cgroups missing): a usage problem, exit 2. */
export class RealNodeUnavailable extends ClusterStartError {
  override name = "RealNodeUnavailable";
}
