/** A local cluster that could not start, or options that cannot make one. */
export class ClusterStartError extends Error {
  override name = "ClusterStartError";
}
