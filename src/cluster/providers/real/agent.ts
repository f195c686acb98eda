import { existsSync, readdirSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunContext } from "../../parts/part.ts";
import type { NodePaths } from "./containerd.ts";
import { busyboxBinary } from "./images.ts";
import { inNetns, type NodeNetwork } from "./network.ts";
import type { NodeSandbox } from "./sandbox.ts";

/**
 * The real node's agent (agent/main.ts): its registry mirror, and the GPU device plugin. It is a Node
 * process, like kubeproof itself, so it needs no build and no binary of its own.
 */

/** The mirror's port on the node's own loopback (its network namespace: no host port is taken). */
export const registryPort = 5000;

/**
 * Sends every registry's pulls to the node's mirror (`_default` applies to any registry without a
 * directory of its own): `server` replaces the upstream, so a pull of an image the node lacks fails at
 * once, not found, and nothing is asked of the network.
 */
export async function writeMirrorConfig(paths: NodePaths): Promise<void> {
  const dir = join(paths.dir, "certs.d", "_default");
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "hosts.toml"),
    "# Written by kubeproof: every registry resolves to the node's loaded images.\n" +
      `server = "http://127.0.0.1:${registryPort}"\n`,
  );
}

/** The node's own device-plugins directory, the kubelet's fixed path inside its mount namespace (sandbox.ts). */
export const devicePluginDir = (paths: NodePaths): string => join(paths.dir, "device-plugins");

/** The agent's entry: the compiled .js next to this file, or the .ts through tsx when run from source. */
function agentCommand(): string[] {
  const fromSource = import.meta.url.endsWith(".ts");
  const main = fileURLToPath(new URL(`./agent/main.${fromSource ? "ts" : "js"}`, import.meta.url));
  return fromSource ? ["--import", import.meta.resolve("tsx"), main] : [main];
}

/** Starts the node's agent in its sandbox; `gpus` > 0 also serves the fake GPU device plugin. */
export function startAgent(
  ctx: RunContext,
  node: { name: string; paths: NodePaths; sandbox: NodeSandbox },
  gpus: number,
): void {
  const { paths } = node;
  ctx.spawn({
    name: `${node.name}-agent`,
    binary: node.sandbox.enterScript,
    args: [
      process.execPath,
      ...agentCommand(),
      `--ctr=${ctx.binary("ctr")}`,
      `--containerd-socket=${paths.containerdSocket}`,
      `--content-dir=${join(paths.dir, "containerd", "root", "io.containerd.content.v1.content")}`,
      `--registry-port=${registryPort}`,
      `--gpus=${gpus}`,
      `--device-plugin-dir=${devicePluginDir(paths)}`,
    ],
  });
}

/** The mirror answers on the node's loopback (asked from inside its namespace, with busybox's wget). */
export function mirrorReady(ctx: RunContext, net: NodeNetwork): Promise<void> {
  return ctx.waitFor("the node's registry mirror", () =>
    inNetns(net, busyboxBinary, ["wget", "-q", "-O", "-", `http://127.0.0.1:${registryPort}/v2/`]).then(
      (body) => body.trim() === "{}",
      () => false,
    ),
  );
}

/** What says a host has an NVIDIA GPU with its driver: device files, or nvidia-smi on the PATH. */
export interface GpuHostFacts {
  devices: readonly string[];
  path: string;
}

export function readGpuHostFacts(): GpuHostFacts {
  let devices: string[] = [];
  try {
    devices = readdirSync("/dev").filter((name) => name.startsWith("nvidia"));
  } catch {
    // No /dev: no GPU.
  }
  return { devices, path: process.env.PATH ?? "" };
}

/**
 * True where a real NVIDIA GPU and its driver are present, as the VMAFx bootstrap script decides: a
 * `/dev/nvidia<N>` device and `nvidia-smi`. The real node then runs NVIDIA's device plugin, not the fake.
 */
export function hasNvidiaGpu(facts: GpuHostFacts = readGpuHostFacts()): boolean {
  const device = facts.devices.some((name) => /^nvidia\d+$/.test(name));
  const smi = facts.path.split(delimiter).some((dir) => dir !== "" && existsSync(join(dir, "nvidia-smi")));
  return device && smi;
}

/**
 * On a host with a real NVIDIA GPU: NVIDIA's device plugin (`nvidia-device-plugin`, installed with
 * the NVIDIA container toolkit, on the PATH) in the node's sandbox, where the kubelet's fixed
 * device-plugins path is the node's own directory.
 */
export function startNvidiaPlugin(
  ctx: RunContext,
  node: { name: string; paths: NodePaths; sandbox: NodeSandbox },
): void {
  ctx.spawn({
    name: `${node.name}-nvidia-device-plugin`,
    binary: node.sandbox.enterScript,
    // `sh -c` so that the command line names the cluster's directory, as `down` needs of every process.
    args: ["sh", "-c", "exec nvidia-device-plugin", node.paths.dir],
  });
}
