import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PrepareContext, RunContext } from "../../parts/part.ts";
import { answers } from "../../parts/probes.ts";
import type { NodePaths } from "./containerd.ts";
import { clusterDnsIp } from "./kubelet.ts";
import type { NodeNetwork } from "./network.ts";
import type { NodeSandbox } from "./sandbox.ts";

/**
 * Cluster DNS: CoreDNS as a process in the first real node's namespace (no image, no pod to schedule),
 * behind the usual `kube-system/kube-dns` Service, whose one endpoint kubeproof writes itself. It
 * answers for `cluster.local` only: nothing is forwarded off the machine.
 */
export async function writeDnsFiles(
  ctx: PrepareContext,
  node: { name: string; paths: NodePaths; net: NodeNetwork },
): Promise<void> {
  const kubeconfig = await ctx.writeKubeconfig(`${node.name}-coredns`, {
    commonName: "kubeproof-coredns",
    organizations: ["system:masters"],
  });
  const corefile = `.:53 {
    errors
    health ${node.net.nodeIp}:8080
    ready ${node.net.nodeIp}:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig ${kubeconfig}
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
    loadbalance
}
`;
  await writeFile(join(node.paths.dir, "Corefile"), corefile);
}

export async function startDns(
  ctx: RunContext,
  node: { name: string; paths: NodePaths; net: NodeNetwork; sandbox: NodeSandbox },
): Promise<void> {
  await ctx.client.request("POST", "/api/v1/namespaces/kube-system/services", {
    body: {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "kube-dns",
        namespace: "kube-system",
        labels: { "k8s-app": "kube-dns", "kubernetes.io/name": "CoreDNS" },
      },
      spec: {
        clusterIP: clusterDnsIp,
        ports: [
          { name: "dns", port: 53, protocol: "UDP", targetPort: 53 },
          { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 },
        ],
      },
    },
  });
  await ctx.client.request("POST", "/apis/discovery.k8s.io/v1/namespaces/kube-system/endpointslices", {
    body: {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        name: "kube-dns-kubeproof",
        namespace: "kube-system",
        labels: {
          "kubernetes.io/service-name": "kube-dns",
          "endpointslice.kubernetes.io/managed-by": "kubeproof.dev",
        },
      },
      addressType: "IPv4",
      endpoints: [{ addresses: [node.net.nodeIp], conditions: { ready: true }, nodeName: node.name }],
      ports: [
        { name: "dns", port: 53, protocol: "UDP" },
        { name: "dns-tcp", port: 53, protocol: "TCP" },
      ],
    },
  });
  ctx.spawn({
    name: `${node.name}-coredns`,
    binary: node.sandbox.enterScript,
    args: [ctx.binary("coredns"), "-conf", join(node.paths.dir, "Corefile")],
  });
}

export function dnsReady(ctx: RunContext, net: NodeNetwork): Promise<void> {
  return ctx.waitFor("CoreDNS to be ready", () => answers(`http://${net.nodeIp}:8181/ready`, "OK"));
}
