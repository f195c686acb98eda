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
  /** The real node's kubelet and kube-proxy: the control plane's release. */
  "kubernetes-node": "1.36.3",
  containerd: "2.2.9",
  "cni-plugins": "1.9.0",
  coredns: "1.14.7",
  /** agnhost as test/images/agnhost/VERSION of the pinned k8s.io/kubernetes says. */
  agnhost: "2.63.0",
  /** kubeproof's own sandbox program (tools/k8s/pause). */
  pause: "1.0.0",
  /** Helm, for charts in suites and scripts (tools/k8s/helm); not a part of the cluster. */
  helm: "4.3.2",
} as const;

/** A unit that `cluster install` provides: one version, one cache directory, one or more binaries. */
export type ComponentName = keyof typeof versions;

/** The binaries each component provides. */
export const componentBinaries = {
  kubernetes: ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"],
  etcd: ["etcd"],
  kwok: ["kwok"],
  "kubernetes-node": ["kubelet", "kube-proxy"],
  containerd: ["containerd", "containerd-shim-runc-v2", "ctr"],
  "cni-plugins": ["bridge", "host-local", "loopback", "portmap"],
  coredns: ["coredns"],
  agnhost: ["agnhost"],
  pause: ["pause"],
  helm: ["helm"],
} as const satisfies Record<ComponentName, readonly string[]>;

/** The components a kwok-only cluster runs: what `cluster install` provides unless asked for more. */
export const baseComponents: readonly ComponentName[] = ["etcd", "kwok", "kubernetes"];

/** What a real node adds (its system packages aside: see install/system.ts). */
export const realNodeComponents: readonly ComponentName[] = [
  "kubernetes-node",
  "containerd",
  "cni-plugins",
  "coredns",
  "agnhost",
  "pause",
];

/**
 * Tools for suites, not cluster parts: `cluster install` provides them by default (so the README's set-up
 * covers a suite with charts), a run installs them when a test asks for one, and scripts find them on PATH.
 */
export const toolComponents: readonly ComponentName[] = ["helm"];

/** Every component, in the order installs resolve them. */
export const allComponents: readonly ComponentName[] = [
  ...baseComponents,
  ...realNodeComponents,
  ...toolComponents,
];

export function componentVersion(component: ComponentName): string {
  return versions[component];
}
