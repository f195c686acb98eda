import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeClient } from "../../kube/client.ts";
import { readKwokCrds, writeKwokConfig } from "../kwok-config.ts";
import { apiServerPart } from "../parts/control-plane.ts";
import { kubeconfigFile, pkiFile } from "../parts/files.ts";
import type { ClusterPart, NodeProvider, NodeRequest, PrepareContext, RunContext } from "../parts/part.ts";
import { hasTrueCondition, isReady } from "../../kube/conditions.ts";

/** The annotation that hands a node to kwok (kwokctl uses the same one). */
export const kwokNodeAnnotation = "kwok.x-k8s.io/node";

/** kwok's pod IP range. */
export const kwokPodCidr = "10.244.0.1/16";

export function kwokNodeName(index: number): string {
  return `kwok-node-${index}`;
}

/**
 * Simulated nodes: kwok creates no processes per node, so one kwok process serves every node's status,
 * the pods' lifecycle and the kubelet API (logs, exec, port-forward) on one port.
 */
export const kwokProvider: NodeProvider = {
  type: "kwok",
  parts: (request) => [kwokPart(request)],
};

function kwokPart(request: NodeRequest): ClusterPart {
  const nodes = Array.from({ length: request.count }, (_, i) => kwokNodeName(i));
  return {
    name: "kwok",
    provider: "kwok",
    components: ["kwok"],
    ports: ["kwok"],
    after: [apiServerPart],
    nodes,
    prepare: async (ctx) => {
      await Promise.all([
        writeKwokConfig(join(ctx.dir, "kwok")),
        ctx.writeKubeconfig("kwok", { commonName: "kwok", organizations: ["system:masters"] }),
        ctx.issueCertificate("kwok-serving", {
          commonName: "kwok-kubelet",
          usage: "server",
          dnsNames: ["localhost"],
          ipAddresses: ["127.0.0.1"],
        }),
      ]);
    },
    start: async (ctx) => {
      // kwok watches its CRDs from the start, so they go in before kwok does; nodes can go in meanwhile.
      await Promise.all([
        installKwokCrds(ctx),
        ...Array.from({ length: request.count }, (_, i) =>
          ctx.client.request("POST", "/api/v1/nodes", { body: kwokNodeManifest(i, request) }),
        ),
      ]);
      ctx.spawn({ name: "kwok", binary: ctx.binary("kwok"), args: kwokArgs(ctx) });
    },
    ready: (ctx) =>
      ctx.waitFor(`${nodes.length} node(s) to be Ready`, async () => {
        const list = await ctx.client.request<{ items: { metadata: { name: string } }[] }>(
          "GET",
          "/api/v1/nodes",
        );
        const ready = new Set(list.items.filter(isReady).map((node) => node.metadata.name));
        return nodes.every((node) => ready.has(node));
      }),
  };
}

function kwokArgs(ctx: PrepareContext): string[] {
  const port = ctx.port("kwok");
  return [
    `--kubeconfig=${kubeconfigFile(ctx.dir, "kwok")}`,
    `--config=${join(ctx.dir, "kwok", "kwok.yaml")}`,
    "--manage-all-nodes=false",
    `--manage-nodes-with-annotation-selector=${kwokNodeAnnotation}=fake`,
    "--node-ip=127.0.0.1",
    `--node-port=${port}`,
    `--server-address=127.0.0.1:${port}`,
    `--tls-cert-file=${pkiFile(ctx.dir, "kwok-serving.crt")}`,
    `--tls-private-key-file=${pkiFile(ctx.dir, "kwok-serving.key")}`,
    `--cidr=${kwokPodCidr}`,
    "--node-lease-duration-seconds=40",
    // Per-pod rules as objects in the cluster, so tests can script what a pod logs or runs on exec.
    "--enable-crds=Logs,Exec,PortForward",
  ];
}

/** Taints simulated nodes when real ones exist: a pod runs for real unless it tolerates this. */
export const simulatedTaint = { key: "kubeproof.dev/simulated", value: "true", effect: "NoSchedule" };

/** A simulated node handed to kwok, advertising `nvidia.com/gpu` when asked. */
export function kwokNodeManifest(
  index: number,
  shape: Pick<NodeRequest, "gpusPerNode"> & Partial<Pick<NodeRequest, "realNodesPresent">>,
): Record<string, unknown> {
  const name = kwokNodeName(index);
  const resources: Record<string, string> = {
    cpu: "32",
    memory: "128Gi",
    pods: "250",
    "ephemeral-storage": "500Gi",
  };
  if (shape.gpusPerNode > 0) resources["nvidia.com/gpu"] = String(shape.gpusPerNode);
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { [kwokNodeAnnotation]: "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
    ...(shape.realNodesPresent ? { spec: { taints: [simulatedTaint] } } : {}),
    status: { allocatable: resources, capacity: resources },
  };
}

async function installKwokCrds(ctx: RunContext): Promise<void> {
  const crds = (await readKwokCrds()).flatMap((text) =>
    parseAllDocuments(text).map((doc) => doc.toJS() as { metadata: { name: string } }),
  );
  await Promise.all(
    crds.map((crd) =>
      ctx.client.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", { body: crd }),
    ),
  );
  await ctx.waitFor("kwok's CRDs to be Established", async () => {
    const established = await establishedCrds(ctx.client);
    return crds.every((crd) => established.has(crd.metadata.name));
  });
}

async function establishedCrds(client: KubeClient): Promise<Set<string>> {
  const list = await client.request<{ items: { metadata: { name: string } }[] }>(
    "GET",
    "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
  );
  return new Set(
    list.items.filter((crd) => hasTrueCondition(crd, "Established")).map((crd) => crd.metadata.name),
  );
}
