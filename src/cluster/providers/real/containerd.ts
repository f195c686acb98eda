import { access, mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runSystemCommand } from "../../command.ts";
import type { RunContext } from "../../parts/part.ts";
import type { NodeNetwork } from "./network.ts";
import type { NodeSandbox } from "./sandbox.ts";

/** Where one real node keeps its files: everything under the cluster's directory. */
export interface NodePaths {
  dir: string;
  containerdSocket: string;
  containerdConfig: string;
  cniConfDir: string;
}

export function nodePaths(dir: string): NodePaths {
  return {
    dir,
    containerdSocket: join(dir, "containerd.sock"),
    containerdConfig: join(dir, "containerd.toml"),
    cniConfDir: join(dir, "cni"),
  };
}

/** containerd 2.x's CRI, with runc from the system, the built-in pause image and CNI from the cache. */
function containerdConfig(paths: NodePaths, options: ContainerdOptions): string {
  const { cniBinDir, pauseImage } = options;
  const cri = 'plugins."io.containerd.cri.v1';
  return `version = 3
root = "${join(paths.dir, "containerd", "root")}"
state = "${join(paths.dir, "containerd", "state")}"
# Snapshotters that need what this machine may not have; overlayfs is the one used.
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.erofs", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "${paths.containerdSocket}"

[${cri}.images"]
  snapshotter = "overlayfs"
  # Images come from \`cluster load\` and the built-in set; pulls go to the node's mirror of them
  # (certs.d/_default/hosts.toml), never to a registry.
  [${cri}.images".pinned_images]
    sandbox = "${pauseImage}"
  [${cri}.images".registry]
    config_path = "${join(paths.dir, "certs.d")}"

[${cri}.runtime"]
  # Without CAP_SYS_RESOURCE (some CI sandboxes drop it) a negative oom_score_adj fails every sandbox;
  # this keeps containers' scores at or above containerd's own.
  restrict_oom_score_adj = true
  [${cri}.runtime".containerd]
    default_runtime_name = "${options.nvidiaRuntime ? "nvidia" : "runc"}"
    [${cri}.runtime".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.runtime".containerd.runtimes.runc.options]
        SystemdCgroup = false${options.nvidiaRuntime ? nvidiaRuntime(cri) : ""}
  [${cri}.runtime".cni]
    bin_dirs = ["${cniBinDir}"]
    conf_dir = "${paths.cniConfDir}"
    max_conf_num = 1
`;
}

/** On a host with a real GPU: NVIDIA's runtime (from the NVIDIA container toolkit), which runs runc. */
function nvidiaRuntime(cri: string): string {
  return `
    [${cri}.runtime".containerd.runtimes.nvidia]
      runtime_type = "io.containerd.runc.v2"
      [${cri}.runtime".containerd.runtimes.nvidia.options]
        BinaryName = "nvidia-container-runtime"
        SystemdCgroup = false`;
}

interface ContainerdOptions {
  cniBinDir: string;
  pauseImage: string;
  /** The host has an NVIDIA GPU: containers run with NVIDIA's runtime. */
  nvidiaRuntime: boolean;
}

/** One bridge for the node's pods, host-local addresses from its pod subnet, and host ports. */
function cniConfig(net: NodeNetwork, ipamDir: string): string {
  return JSON.stringify(
    {
      cniVersion: "1.0.0",
      name: "kubeproof",
      plugins: [
        {
          type: "bridge",
          bridge: "cni0",
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: net.podCidr, gateway: net.podGateway }]],
            routes: [{ dst: "0.0.0.0/0" }],
            dataDir: ipamDir,
          },
        },
        { type: "portmap", capabilities: { portMappings: true } },
      ],
    },
    null,
    2,
  );
}

export async function writeContainerdFiles(
  paths: NodePaths,
  net: NodeNetwork,
  options: ContainerdOptions,
): Promise<void> {
  await mkdir(paths.cniConfDir, { recursive: true });
  await Promise.all([
    writeFile(paths.containerdConfig, containerdConfig(paths, options)),
    writeFile(join(paths.cniConfDir, "10-kubeproof.conflist"), cniConfig(net, join(paths.dir, "cni-ipam"))),
  ]);
}

/** Starts containerd in the node's sandbox and waits for its socket to answer. */
export async function startContainerd(
  ctx: RunContext,
  paths: NodePaths,
  sandbox: NodeSandbox,
): Promise<void> {
  const containerd = ctx.binary("containerd");
  ctx.spawn({
    name: `${paths.dir.split("/").pop() ?? "node"}-containerd`,
    binary: sandbox.enterScript,
    args: [containerd, `--config=${paths.containerdConfig}`, "--log-level=warn"],
  });
  await ctx.waitFor("containerd's socket", async () => {
    if (
      !(await access(paths.containerdSocket).then(
        () => true,
        () => false,
      ))
    )
      return false;
    const version = await ctr(ctx, paths, ["version"], true);
    return version.code === 0;
  });
}

/** Runs `ctr` against the node's containerd, in the CRI's namespace. */
export async function ctr(
  ctx: Pick<RunContext, "binary">,
  paths: Pick<NodePaths, "containerdSocket">,
  args: string[],
  allowFailure = false,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runSystemCommand(
    ctx.binary("ctr"),
    ["--address", paths.containerdSocket, "--namespace", "k8s.io", ...args],
    {
      allowFailure,
    },
  );
}

/** Imports an image archive (`docker save` or an OCI layout tar) into the node. */
export async function importImages(
  ctx: Pick<RunContext, "binary">,
  paths: Pick<NodePaths, "containerdSocket">,
  archive: string,
): Promise<void> {
  await ctr(ctx, paths, ["images", "import", "--all-platforms", archive]);
}

export const containerdBinDir = (ctx: Pick<RunContext, "binary">): string =>
  dirname(ctx.binary("containerd"));
