import type { KubeObject } from "../kube/resources.ts";

/** Container waiting reasons that mean the node has not got the image and cannot fetch it. */
const PULL_FAILURES = new Set(["ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull"]);

interface ContainerStatus {
  name?: string;
  image?: string;
  state?: { waiting?: { reason?: string } };
}

/**
 * What to do about pods whose images could not be pulled: on the local cluster's real node images come
 * only from `kubeproof cluster load` (its registry mirror serves what was loaded, nothing else), so say
 * so with the image's name, once per image.
 */
export function imagePullHints(pods: readonly KubeObject[]): string[] {
  const hints = new Map<string, string>();
  for (const pod of pods) {
    if (pod.kind !== "Pod") continue;
    const status = pod.status as
      { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } | undefined;
    for (const container of [
      ...(status?.initContainerStatuses ?? []),
      ...(status?.containerStatuses ?? []),
    ]) {
      const reason = container.state?.waiting?.reason;
      if (reason === undefined || !PULL_FAILURES.has(reason) || container.image === undefined) continue;
      if (hints.has(container.image)) continue;
      hints.set(
        container.image,
        `pod ${pod.metadata.name ?? "?"} cannot get image ${JSON.stringify(container.image)} (${reason}): ` +
          `on the local cluster's real node, load it with \`kubeproof cluster load <archive>\` ` +
          "(a `docker save` archive or an OCI layout)",
      );
    }
  }
  return [...hints.values()];
}
