import { chmod, mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { runSystemCommand } from "../../command.ts";
import type { NodeNetwork } from "./network.ts";

/**
 * What keeps a real node's processes from changing the machine around them, beyond its network
 * namespace: a mount namespace of its own (kubelet and containerd mount volumes, overlays and
 * namespaces there, and all of it goes when its last process does), and a cgroup of its own in every
 * hierarchy, under which the node's processes run and the kubelet puts its `kubepods` tree.
 */
export interface NodeSandbox {
  /** The bind-mounted mount namespace that every node process enters. */
  mountNamespace: string;
  /** The cgroup path (the same in each hierarchy), e.g. `/kubeproof-demo-0`: the kubelet's cgroupRoot. */
  cgroup: string;
  /** `enter.sh BINARY ARGS...` runs BINARY in the node's cgroup and namespaces. */
  enterScript: string;
}

/**
 * Kernel-wide sysctls the kubelet sets to its preferred values when they differ (it cannot be told not
 * to, only to fail). Inside the node's mount namespace the kubelet reads these files from bind mounts
 * that already hold its values, so the host's stay as they are.
 */
const kubeletSysctls: Record<string, string> = {
  "vm/overcommit_memory": "1",
  "vm/panic_on_oom": "0",
  "kernel/panic": "10",
  "kernel/panic_on_oops": "1",
  "kernel/keys/root_maxkeys": "1000000",
  "kernel/keys/root_maxbytes": "25000000",
};

/** Where the kubelet serves its device plugin registration (`pluginapi.DevicePluginPath`, not configurable). */
export const kubeletDevicePluginPath = "/var/lib/kubelet/device-plugins";

export function nodeSandbox(clusterName: string, index: number, nodeDir: string): NodeSandbox {
  return {
    mountNamespace: join(nodeDir, "ns", "mnt"),
    cgroup: `/kubeproof-${clusterName}-${index}`,
    enterScript: join(nodeDir, "enter.sh"),
  };
}

/** Every mounted cgroup hierarchy (v1 controllers, named ones, the unified v2): where node cgroups live. */
export async function cgroupHierarchies(): Promise<string[]> {
  const mounts = await readFile("/proc/self/mounts", "utf8");
  return mounts
    .split("\n")
    .map((line) => line.split(" "))
    .filter((fields) => fields[2] === "cgroup" || fields[2] === "cgroup2")
    .map((fields) => fields[1] ?? "")
    .filter((path) => path !== "");
}

/**
 * Creates the node's cgroups, its mount namespace (private to it, shared inside as the kubelet wants,
 * a /run of its own, the kubelet's sysctls masked) and the script that enters them.
 */
export async function createSandbox(
  sandbox: NodeSandbox,
  net: NodeNetwork,
  options: { nodeDir: string; path: readonly string[] },
): Promise<void> {
  const { nodeDir } = options;
  const hierarchies = await cgroupHierarchies();
  for (const hierarchy of hierarchies) {
    const dir = join(hierarchy, sandbox.cgroup);
    await mkdir(dir, { recursive: true });
    // A new v1 cpuset has no CPUs or memory nodes: nothing can join it until it has its parent's.
    if (hierarchy.endsWith("/cpuset")) {
      for (const file of ["cpuset.cpus", "cpuset.mems"])
        await writeFile(join(dir, file), await readFile(join(hierarchy, file), "utf8"));
    }
  }
  const sysctlDir = join(nodeDir, "sysctl");
  await mkdir(sysctlDir, { recursive: true });
  const masks: string[] = [];
  for (const [name, value] of Object.entries(kubeletSysctls)) {
    const file = join(sysctlDir, name.replaceAll("/", "."));
    await writeFile(file, `${value}\n`);
    masks.push(`mount --bind ${file} /proc/sys/${name}`);
  }
  // A namespace file cannot live on a shared mount (on systemd hosts `/` is shared): like `ip netns`
  // with /run/netns, bind its directory onto itself and make that private.
  const nsDir = dirname(sandbox.mountNamespace);
  await mkdir(nsDir, { recursive: true });
  await runSystemCommand("mount", ["--bind", nsDir, nsDir]);
  await runSystemCommand("mount", ["--make-private", nsDir]);
  await writeFile(sandbox.mountNamespace, "");
  await runSystemCommand("unshare", [
    `--mount=${sandbox.mountNamespace}`,
    "--propagation",
    "private",
    "true",
  ]);
  // The kubelet's device manager has a fixed path, which every node on the host would share: each gets
  // its own directory there. The empty mount point is the one thing left on the host.
  const devicePlugins = join(nodeDir, "device-plugins");
  await mkdir(devicePlugins, { recursive: true });
  await mkdir(kubeletDevicePluginPath, { recursive: true });
  const setup = [
    "mount --make-rshared /",
    "mount -t tmpfs -o mode=755 tmpfs /run",
    `mount --bind ${devicePlugins} ${kubeletDevicePluginPath}`,
    ...masks,
  ].join(" && ");
  await runSystemCommand("nsenter", [`--mount=${sandbox.mountNamespace}`, "--", "sh", "-c", setup]);
  const joins = hierarchies.map((h) => `echo $$ > ${join(h, sandbox.cgroup, "cgroup.procs")}`).join("\n");
  await writeFile(
    sandbox.enterScript,
    [
      "#!/bin/sh",
      "# Runs a real node's process in the node's cgroups and namespaces (written by kubeproof).",
      "set -e",
      joins,
      // containerd finds its shim on PATH; the shim finds runc there.
      `export PATH=${[...options.path, "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].join(":")}`,
      `exec nsenter --net=/run/netns/${net.netns} --mount=${sandbox.mountNamespace} -- "$@"`,
      "",
    ].join("\n"),
  );
  await chmod(sandbox.enterScript, 0o755);
}

/** The pids in a cgroup and every cgroup below it. */
async function cgroupPids(dir: string): Promise<number[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const own = (await readFile(join(dir, "cgroup.procs"), "utf8").catch(() => ""))
    .split("\n")
    .filter((line) => line !== "")
    .map(Number);
  const below = await Promise.all(
    entries.filter((e) => e.isDirectory()).map((e) => cgroupPids(join(dir, e.name))),
  );
  return [...own, ...below.flat()];
}

/** Removes a cgroup tree, children first (a v1 cgroup goes only once it has no child and no process). */
async function removeCgroupTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  await Promise.all(entries.filter((e) => e.isDirectory()).map((e) => removeCgroupTree(join(dir, e.name))));
  await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kills every process in the node's cgroups (the shims and containers containerd started outlive
 * containerd itself), then removes the cgroups and the mount namespace (its mounts go with it).
 */
export async function removeSandbox(sandbox: Pick<NodeSandbox, "cgroup" | "mountNamespace">): Promise<void> {
  const hierarchies = await cgroupHierarchies();
  for (let attempt = 0; ; attempt += 1) {
    const pids = new Set(
      (await Promise.all(hierarchies.map((h) => cgroupPids(join(h, sandbox.cgroup))))).flat(),
    );
    if (pids.size === 0) break;
    if (attempt >= 50)
      throw new Error(`processes ${[...pids].join(", ")} in cgroup ${sandbox.cgroup} would not die`);
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
    await sleep(100);
  }
  for (const hierarchy of hierarchies) {
    // A cgroup's last process may take a moment to leave after it died.
    for (let attempt = 0; ; attempt += 1) {
      try {
        await removeCgroupTree(join(hierarchy, sandbox.cgroup));
        break;
      } catch (error) {
        if (attempt >= 30) throw error;
        await sleep(100);
      }
    }
  }
  await runSystemCommand("umount", [sandbox.mountNamespace], { allowFailure: true });
  await runSystemCommand("umount", [dirname(sandbox.mountNamespace)], { allowFailure: true });
}
