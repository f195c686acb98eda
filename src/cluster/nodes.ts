import { kwokNodeAnnotation } from "./components.ts";

export interface NodeShape {
  gpusPerNode: number;
}

export function nodeName(index: number): string {
  return `kwok-node-${index}`;
}

/** A simulated node handed to kwok, advertising `nvidia.com/gpu` when asked. */
export function nodeManifest(index: number, shape: NodeShape): Record<string, unknown> {
  const name = nodeName(index);
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
    status: { allocatable: resources, capacity: resources },
  };
}

export function isNodeReady(node: unknown): boolean {
  const conditions = (node as { status?: { conditions?: { type: string; status: string }[] } }).status
    ?.conditions;
  return conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
