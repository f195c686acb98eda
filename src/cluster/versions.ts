/**
 * Every pinned version of the local cluster's components, in one place. The Go wrapper modules under
 * tools/k8s/ must agree with these (test/cluster/versions.test.ts checks it); change both together with
 * `npm run k8s:pin`. A new component is a key here plus its entry in `componentBinaries`, and in the
 * install's download and build tables (the compiler points at each).
 */
export const versions = {
  kubernetes: "1.36.3",
  etcd: "3.6.16",
  kwok: "0.8.0",
} as const;

/** A unit that `cluster install` provides: one version, one cache directory, one or more binaries. */
export type ComponentName = keyof typeof versions;

/** The binaries each component provides. */
export const componentBinaries = {
  kubernetes: ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"],
  etcd: ["etcd"],
  kwok: ["kwok"],
} as const satisfies Record<ComponentName, readonly string[]>;

/** Every component, in the order installs resolve them. */
export const allComponents: readonly ComponentName[] = ["etcd", "kwok", "kubernetes"];

export function componentVersion(component: ComponentName): string {
  return versions[component];
}
