/**
 * Every pinned version of the local cluster's components, in one place. The Go wrapper modules under
 * tools/k8s/ must agree with these (test/cluster/versions.test.ts checks it); change both together with
 * `npm run k8s:pin`.
 */
export const versions = {
  kubernetes: "1.36.3",
  etcd: "3.6.16",
  kwok: "0.8.0",
} as const;

export type ComponentName = "kubernetes" | "etcd" | "kwok";

/** The binaries each component provides. */
export const componentBinaries: Record<ComponentName, readonly string[]> = {
  kubernetes: ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"],
  etcd: ["etcd"],
  kwok: ["kwok"],
};

export const allBinaries: readonly string[] = Object.values(componentBinaries).flat();

export function componentVersion(component: ComponentName): string {
  return versions[component];
}
