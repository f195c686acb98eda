import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { apiServerPart } from "../../parts/control-plane.ts";
import { isReady } from "../../../kube/conditions.ts";
import type { ClusterPart, NodeProvider, RunContext } from "../../parts/part.ts";
import type { ClusterState, PartRecord } from "../../state.ts";
import { realNodeComponents } from "../../versions.ts";
import {
  importImages,
  nodePaths,
  startContainerd,
  writeContainerdFiles,
  type NodePaths,
} from "./containerd.ts";
import { hasNvidiaGpu, mirrorReady, startAgent, startNvidiaPlugin, writeMirrorConfig } from "./agent.ts";
import { gpuResource } from "./agent/gpu-plugin.ts";
import { dnsReady, startDns, writeDnsFiles } from "./dns.ts";
import { builtinImages, writeBuiltinImages } from "./images.ts";
import { startKubelet, startKubeProxy, writeKubeletFiles, writeKubeProxyFiles } from "./kubelet.ts";
import {
  chooseNodeNetworks,
  createNetwork,
  deleteNetwork,
  linkNodes,
  routeToApiServer,
  type NodeNetwork,
} from "./network.ts";
import { assertRealNodesPossible } from "./preconditions.ts";
import { tarArchive, type LayerEntry } from "./oci.ts";
import { createSandbox, nodeSandbox, removeSandbox, type NodeSandbox } from "./sandbox.ts";

export function realNodeName(index: number): string {
  return `real-node-${index}`;
}

/** One real node as its parts see it. */
interface RealNode {
  index: number;
  name: string;
  net: NodeNetwork;
  /** `nvidia.com/gpu` the node advertises: fake devices, or the real ones where the host has them. */
  gpus: { count: number; real: boolean };
}

/** A real node with its files under the cluster's directory. */
interface PlacedNode extends RealNode {
  paths: NodePaths;
  sandbox: NodeSandbox;
}

/**
 * Real nodes: a kubelet with containerd, runc and CNI, kube-proxy and (on the first) CoreDNS, each node
 * in network and mount namespaces and cgroups of its own (see network.ts and sandbox.ts), so that what
 * it sets up goes with it. Two parts per node: its sandbox, which the API server starts after (it
 * listens on the sandbox's veth), and its processes, once the API server is ready.
 */
export const realProvider: NodeProvider = {
  type: "real",
  parts: (request) => {
    assertRealNodesPossible();
    const networks = chooseNodeNetworks(request.clusterName, request.count);
    const gpus = { count: request.gpusPerNode, real: request.gpusPerNode > 0 && hasNvidiaGpu() };
    const nodes = networks.map((net, index): RealNode => ({ index, name: realNodeName(index), net, gpus }));
    return nodes.flatMap((node) => [sandboxPart(node, nodes), nodePart(node)]);
  },
  cleanup: async (record: PartRecord) => {
    const { netns, hostInterface, cgroup, mountNamespace } = record.resources;
    if (typeof cgroup === "string" && typeof mountNamespace === "string")
      await removeSandbox({ cgroup, mountNamespace });
    if (typeof netns === "string" && typeof hostInterface === "string")
      await deleteNetwork({ netns, hostInterface });
  },
};

/** The node's files in the cluster's directory (parts learn it from their context). */
function at(ctx: Pick<RunContext, "dir" | "clusterName">, node: RealNode): PlacedNode {
  const nodeDir = join(ctx.dir, node.name);
  return { ...node, paths: nodePaths(nodeDir), sandbox: nodeSandbox(ctx.clusterName, node.index, nodeDir) };
}

/**
 * The API server listens on the first node's host end; each later node's sandbox starts after the one
 * before, so that it can join every earlier node's namespace (see `linkNodes`).
 */
function sandboxPart(node: RealNode, nodes: readonly RealNode[]): ClusterPart {
  const first = nodes[0] ?? node;
  const earlier = nodes.slice(0, node.index);
  return {
    name: `${node.name}-sandbox`,
    provider: "real",
    components: [],
    ports: [],
    after: earlier.slice(-1).map((previous) => `${previous.name}-sandbox`),
    controlPlane:
      node.index === 0 ? { apiAddress: node.net.hostIp, authorizers: ["Node"] } : { authorizers: ["Node"] },
    prepare: async (ctx) => {
      await mkdir(join(ctx.dir, node.name), { recursive: true });
    },
    start: async (ctx) => {
      const here = at(ctx, node);
      // Recorded before they exist, so that `down` removes them even if this start dies half-way.
      await ctx.record({
        netns: here.net.netns,
        hostInterface: here.net.hostInterface,
        cgroup: here.sandbox.cgroup,
        mountNamespace: here.sandbox.mountNamespace,
      });
      await createNetwork(here.net);
      await routeToApiServer(here.net, first.net.hostIp);
      for (const peer of earlier) await linkNodes(peer, here);
      await createSandbox(here.sandbox, here.net, {
        nodeDir: here.paths.dir,
        path: [dirname(ctx.binary("containerd"))],
      });
    },
    ready: async () => {},
  };
}

function nodePart(node: RealNode): ClusterPart {
  return {
    name: node.name,
    provider: "real",
    components: realNodeComponents,
    ports: [],
    after: [apiServerPart, `${node.name}-sandbox`],
    nodes: [node.name],
    prepare: async (ctx) => {
      const here = at(ctx, node);
      await mkdir(here.paths.dir, { recursive: true });
      await Promise.all([
        writeKubeletFiles(ctx, here),
        writeKubeProxyFiles(ctx, here),
        node.index === 0 ? writeDnsFiles(ctx, here) : Promise.resolve(),
      ]);
    },
    start: async (ctx) => {
      const here = at(ctx, node);
      await writeContainerdFiles(here.paths, here.net, {
        cniBinDir: dirname(ctx.binary("bridge")),
        pauseImage: builtinImages.pause,
        nvidiaRuntime: node.gpus.real,
      });
      await writeMirrorConfig(here.paths);
      const archive = join(here.paths.dir, "builtin-images.tar");
      await Promise.all([
        writeBuiltinImages(archive, { pause: ctx.binary("pause"), agnhost: ctx.binary("agnhost") }),
        startContainerd(ctx, here.paths, here.sandbox),
      ]);
      await importImages(ctx, here.paths, archive);
      startAgent(ctx, here, node.gpus.real ? 0 : node.gpus.count);
      if (node.gpus.real) startNvidiaPlugin(ctx, here);
      startKubelet(ctx, here);
      startKubeProxy(ctx, here);
      if (node.index === 0) await startDns(ctx, here);
    },
    ready: async (ctx) => {
      const here = at(ctx, node);
      await Promise.all([
        nodeReady(ctx, node.name, node.gpus.count > 0 && !node.gpus.real ? node.gpus.count : 0),
        mirrorReady(ctx, here.net),
        node.index === 0 ? dnsReady(ctx, here.net) : undefined,
      ]);
    },
  };
}

/** Ready, and advertising its fake GPUs when it has some: pods that request them schedule at once. */
function nodeReady(ctx: RunContext, name: string, gpus: number): Promise<void> {
  return ctx.waitFor(`node ${name} to be Ready`, async () => {
    const node = await ctx.client.request<{ status?: { allocatable?: Record<string, string> } }>(
      "GET",
      `/api/v1/nodes/${name}`,
    );
    return isReady(node) && (gpus === 0 || node.status?.allocatable?.[gpuResource] === String(gpus));
  });
}

/**
 * Imports image archives (`docker save` output or OCI layout tars) into every real node of a cluster,
 * as `kind load image-archive` does; returns the nodes loaded. `ctrPath` is the installed `ctr`.
 */
export async function loadImageArchives(
  state: Pick<ClusterState, "dir" | "parts">,
  archives: readonly string[],
  ctrPath: string,
): Promise<string[]> {
  const nodes = state.parts.filter((part) => part.provider === "real").flatMap((part) => part.nodes);
  const binary = (): string => ctrPath;
  for (const node of nodes) {
    const paths = nodePaths(join(state.dir, node));
    for (const [i, archive] of archives.entries()) {
      if (!(await stat(archive)).isDirectory()) {
        await importImages({ binary }, paths, archive);
        continue;
      }
      // ctr imports tars only: an OCI layout directory is packed first, beside the node's files.
      const packed = join(paths.dir, `load-${i}.tar`);
      await writeFile(packed, await layoutTar(archive));
      try {
        await importImages({ binary }, paths, packed);
      } finally {
        await rm(packed, { force: true });
      }
    }
  }
  return nodes;
}

/** The files and directories of an OCI layout directory as one tar. */
async function layoutTar(root: string): Promise<Buffer> {
  const entries: LayerEntry[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        entries.push({ type: "dir", path });
        await walk(path);
      } else if (entry.isFile()) {
        entries.push({ type: "file", path, content: await readFile(join(root, path)) });
      }
    }
  };
  await walk("");
  return tarArchive(entries);
}
