import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { kubeconfigFile, pkiFile } from "../../parts/files.ts";
import type { PrepareContext, RunContext } from "../../parts/part.ts";
import type { NodePaths } from "./containerd.ts";
import type { NodeNetwork } from "./network.ts";
import type { NodeSandbox } from "./sandbox.ts";

/** The cluster DNS Service's address (kube-dns), in the service range. */
export const clusterDnsIp = "10.96.0.10";

/** A real node's kubelet: its identity, its serving certificate and its configuration. */
export async function writeKubeletFiles(
  ctx: PrepareContext,
  node: { name: string; paths: NodePaths; net: NodeNetwork; sandbox: NodeSandbox },
): Promise<void> {
  const { name, paths, net, sandbox } = node;
  await mkdir(join(paths.dir, "kubelet"), { recursive: true });
  await mkdir(join(paths.dir, "pod-logs"), { recursive: true });
  await Promise.all([
    ctx.writeKubeconfig(`${name}-kubelet`, {
      commonName: `system:node:${name}`,
      organizations: ["system:nodes"],
    }),
    ctx.issueCertificate(`${name}-kubelet-serving`, {
      commonName: `system:node:${name}`,
      usage: "server",
      dnsNames: [name, "localhost"],
      ipAddresses: [net.nodeIp, "127.0.0.1"],
    }),
    // Pods whose dnsPolicy is Default get this; there is no resolver beyond the cluster's own.
    writeFile(join(paths.dir, "resolv.conf"), `nameserver ${clusterDnsIp}\n`),
    writeFile(join(paths.dir, "kubelet.yaml"), stringify(kubeletConfig(ctx, node.name, paths, net, sandbox))),
  ]);
}

function kubeletConfig(
  ctx: PrepareContext,
  name: string,
  paths: NodePaths,
  net: NodeNetwork,
  sandbox: NodeSandbox,
): Record<string, unknown> {
  return {
    apiVersion: "kubelet.config.k8s.io/v1beta1",
    kind: "KubeletConfiguration",
    // The build machines have cgroup v1, which kubelet 1.36 still runs on when told to.
    failCgroupV1: false,
    cgroupDriver: "cgroupfs",
    cgroupRoot: sandbox.cgroup,
    failSwapOn: false,
    address: net.nodeIp,
    port: 10250,
    readOnlyPort: 0,
    healthzBindAddress: "127.0.0.1",
    healthzPort: 10248,
    authentication: {
      anonymous: { enabled: false },
      webhook: { enabled: true },
      x509: { clientCAFile: ctx.ca.cert },
    },
    authorization: { mode: "Webhook" },
    tlsCertFile: pkiFile(ctx.dir, `${name}-kubelet-serving.crt`),
    tlsPrivateKeyFile: pkiFile(ctx.dir, `${name}-kubelet-serving.key`),
    clusterDomain: "cluster.local",
    clusterDNS: [clusterDnsIp],
    resolvConf: join(paths.dir, "resolv.conf"),
    containerRuntimeEndpoint: `unix://${paths.containerdSocket}`,
    // Each node its own: a kubelet removes the log directories of pods it does not know.
    podLogsDir: join(paths.dir, "pod-logs"),
    // Images cannot be pulled again here: never collect them, and never evict for a small disk.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { "nodefs.available": "0%", "nodefs.inodesFree": "0%", "imagefs.available": "0%" },
    // Its sysctls are masked in the node's mount namespace (see sandbox.ts).
    protectKernelDefaults: false,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    // Slow machines: the default 2 minutes is fine, but the status updates should not lag for tests.
    nodeStatusReportFrequency: "10s",
    syncFrequency: "10s",
    fileCheckFrequency: "10s",
    // Pods in tests end quickly; the kubelet's defaults wait longer before it gives up on a stopped one.
    shutdownGracePeriod: "0s",
  };
}

export function startKubelet(
  ctx: RunContext,
  node: { name: string; paths: NodePaths; net: NodeNetwork; sandbox: NodeSandbox },
): void {
  const { name, paths, net, sandbox } = node;
  ctx.spawn({
    name: `${name}-kubelet`,
    binary: sandbox.enterScript,
    args: [
      ctx.binary("kubelet"),
      `--config=${join(paths.dir, "kubelet.yaml")}`,
      `--kubeconfig=${kubeconfigFile(ctx.dir, `${name}-kubelet`)}`,
      `--root-dir=${join(paths.dir, "kubelet")}`,
      `--hostname-override=${name}`,
      `--node-ip=${net.nodeIp}`,
      `--node-labels=kubeproof.dev/node=real`,
      "--v=1",
    ],
  });
}

/** kube-proxy in iptables mode inside the node's namespace; it leaves the host's conntrack settings alone. */
export async function writeKubeProxyFiles(
  ctx: PrepareContext,
  node: { name: string; paths: NodePaths; net: NodeNetwork },
): Promise<void> {
  const kubeconfig = await ctx.writeKubeconfig(`${node.name}-kube-proxy`, {
    commonName: "system:kube-proxy",
    organizations: [],
  });
  const config = {
    apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
    kind: "KubeProxyConfiguration",
    clientConnection: { kubeconfig },
    mode: "iptables",
    hostnameOverride: node.name,
    clusterCIDR: node.net.podCidr,
    metricsBindAddress: "127.0.0.1:10249",
    healthzBindAddress: "127.0.0.1:10256",
    // Conntrack limits and timeouts are kernel-wide or shared: keep the host's.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: "0s", tcpCloseWaitTimeout: "0s" },
    // Pods and the node share one bridge: masquerading service traffic brings replies back through
    // the namespace's conntrack without needing bridge netfilter.
    iptables: { masqueradeAll: true, localhostNodePorts: false },
  };
  await writeFile(join(node.paths.dir, "kube-proxy.yaml"), stringify(config));
}

export function startKubeProxy(
  ctx: RunContext,
  node: { name: string; paths: NodePaths; sandbox: NodeSandbox },
): void {
  ctx.spawn({
    name: `${node.name}-kube-proxy`,
    binary: node.sandbox.enterScript,
    args: [ctx.binary("kube-proxy"), `--config=${join(node.paths.dir, "kube-proxy.yaml")}`, "--v=1"],
  });
}
