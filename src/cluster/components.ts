import { join } from "node:path";

/** Files and ports of one local cluster, from which every component's command line is derived. */
export interface ClusterLayout {
  dir: string;
  ports: {
    etcdClient: number;
    etcdPeer: number;
    apiserver: number;
    controllerManager: number;
    scheduler: number;
    kwok: number;
  };
}

export const serviceClusterIpRange = "10.96.0.0/16";
export const podCidr = "10.244.0.1/16";

export function pkiPath(layout: ClusterLayout, file: string): string {
  return join(layout.dir, "pki", file);
}

export function componentKubeconfig(layout: ClusterLayout, component: string): string {
  return join(layout.dir, "kubeconfigs", `${component}.kubeconfig`);
}

export function etcdArgs(layout: ClusterLayout): string[] {
  const client = `http://127.0.0.1:${layout.ports.etcdClient}`;
  const peer = `http://127.0.0.1:${layout.ports.etcdPeer}`;
  return [
    "--name=kubeproof",
    `--data-dir=${join(layout.dir, "etcd")}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=kubeproof=${peer}`,
    // A throwaway test cluster: losing the last writes on a machine crash is fine, fsync latency is not.
    "--unsafe-no-fsync",
    "--log-level=warn",
  ];
}

export function apiserverArgs(layout: ClusterLayout): string[] {
  const pki = (file: string): string => pkiPath(layout, file);
  return [
    `--etcd-servers=http://127.0.0.1:${layout.ports.etcdClient}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${layout.ports.apiserver}`,
    `--cert-dir=${join(layout.dir, "pki")}`,
    `--tls-cert-file=${pki("apiserver.crt")}`,
    `--tls-private-key-file=${pki("apiserver.key")}`,
    `--client-ca-file=${pki("ca.crt")}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    `--service-account-key-file=${pki("sa.pub")}`,
    `--service-account-signing-key-file=${pki("sa.key")}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    "--authorization-mode=RBAC",
    "--allow-privileged=true",
    // Logs, exec and port-forward go from the API server to kwok, which serves the kubelet API.
    `--kubelet-client-certificate=${pki("kube-apiserver-kubelet-client.crt")}`,
    `--kubelet-client-key=${pki("kube-apiserver-kubelet-client.key")}`,
    `--kubelet-certificate-authority=${pki("ca.crt")}`,
    "--kubelet-preferred-address-types=InternalIP",
    "--profiling=false",
    "--v=1",
  ];
}

/**
 * The controller-manager's and scheduler's clients default to 20 and 50 requests per second, meant to
 * protect a shared production API server. Parallel tests on a private one hit that limit long before
 * the API server is busy (kwok's client is unlimited already; kwokctl lifts these the same way).
 */
const clientRateLimits = ["--kube-api-qps=5000", "--kube-api-burst=10000"];

export function controllerManagerArgs(layout: ClusterLayout): string[] {
  const kubeconfig = componentKubeconfig(layout, "kube-controller-manager");
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${layout.ports.controllerManager}`,
    `--cert-dir=${join(layout.dir, "pki", "kube-controller-manager")}`,
    "--leader-elect=false",
    `--service-account-private-key-file=${pkiPath(layout, "sa.key")}`,
    `--root-ca-file=${pkiPath(layout, "ca.crt")}`,
    `--cluster-signing-cert-file=${pkiPath(layout, "ca.crt")}`,
    `--cluster-signing-key-file=${pkiPath(layout, "ca.key")}`,
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
    ...clientRateLimits,
    "--profiling=false",
    "--v=1",
  ];
}

export function schedulerArgs(layout: ClusterLayout): string[] {
  const kubeconfig = componentKubeconfig(layout, "kube-scheduler");
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${layout.ports.scheduler}`,
    `--cert-dir=${join(layout.dir, "pki", "kube-scheduler")}`,
    "--leader-elect=false",
    ...clientRateLimits,
    "--profiling=false",
    "--v=1",
  ];
}

/** The annotation that hands a node to kwok (kwokctl uses the same one). */
export const kwokNodeAnnotation = "kwok.x-k8s.io/node";

export function kwokArgs(layout: ClusterLayout): string[] {
  return [
    `--kubeconfig=${componentKubeconfig(layout, "kwok")}`,
    `--config=${join(layout.dir, "kwok", "kwok.yaml")}`,
    "--manage-all-nodes=false",
    `--manage-nodes-with-annotation-selector=${kwokNodeAnnotation}=fake`,
    "--node-ip=127.0.0.1",
    `--node-port=${layout.ports.kwok}`,
    `--server-address=127.0.0.1:${layout.ports.kwok}`,
    `--tls-cert-file=${pkiPath(layout, "kwok-serving.crt")}`,
    `--tls-private-key-file=${pkiPath(layout, "kwok-serving.key")}`,
    `--cidr=${podCidr}`,
    "--node-lease-duration-seconds=40",
    // Per-pod rules as objects in the cluster, so tests can script what a pod logs or runs on exec.
    "--enable-crds=Logs,Exec,PortForward",
  ];
}
