import { access, rm } from "node:fs/promises";
import type { Http2Server } from "node:http2";
import { join } from "node:path";
import { callGrpc, decode, encode, serveGrpc, type GrpcHandler } from "./grpc.ts";

/**
 * A device plugin that advertises `count` healthy `nvidia.com/gpu` devices that do not exist, as the
 * kubelet's device plugin API (v1beta1) describes: pods that request GPUs schedule on the real node and
 * run, each container told its devices in NVIDIA_VISIBLE_DEVICES as the real plugin does.
 */
export const gpuResource = "nvidia.com/gpu";
const api = "v1beta1";
const socketName = "kubeproof-gpu.sock";

export function fakeGpuIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `kubeproof-fake-gpu-${i}`);
}

export function gpuPluginHandlers(count: number): Record<string, GrpcHandler> {
  // ListAndWatchResponse { repeated Device devices = 1 }, Device { ID = 1, health = 2 }.
  const devices = encode(
    fakeGpuIds(count).map((id) => [
      1,
      encode([
        [1, id],
        [2, "Healthy"],
      ]),
    ]),
  );
  return {
    // DevicePluginOptions {}: no PreStartContainer, no preferred allocation.
    [`/${api}.DevicePlugin/GetDevicePluginOptions`]: (_requests, send) => {
      send(Buffer.alloc(0));
      return "done";
    },
    // The devices once; the stream stays open, as the kubelet expects of a plugin that is alive.
    [`/${api}.DevicePlugin/ListAndWatch`]: (_requests, send) => {
      send(devices);
      return "streaming";
    },
    // AllocateRequest { repeated ContainerAllocateRequest container_requests = 1 { repeated devices_ids = 1 } }
    // -> AllocateResponse { repeated ContainerAllocateResponse container_responses = 1 { map envs = 1 } }.
    [`/${api}.DevicePlugin/Allocate`]: (requests, send) => {
      const containers = decode(requests[0] ?? Buffer.alloc(0)).flatMap((f) =>
        "bytes" in f ? [f.bytes] : [],
      );
      const responses = containers.map((container) => {
        const ids = decode(container).flatMap((f) => ("bytes" in f ? [f.bytes.toString("utf8")] : []));
        const env = encode([
          [1, "NVIDIA_VISIBLE_DEVICES"],
          [2, ids.join(",")],
        ]);
        return [1, encode([[1, env]])] as [number, Buffer];
      });
      send(encode(responses));
      return "done";
    },
    [`/${api}.DevicePlugin/PreStartContainer`]: (_requests, send) => {
      send(Buffer.alloc(0));
      return "done";
    },
  };
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Serves the plugin in the kubelet's device-plugins directory and registers it once the kubelet's
 * registration socket answers. The kubelet removes the plugin's socket when it restarts: the plugin then
 * serves and registers again.
 */
export async function runGpuPlugin(pluginDir: string, count: number, signal: AbortSignal): Promise<void> {
  const socket = join(pluginDir, socketName);
  const kubeletSocket = join(pluginDir, "kubelet.sock");
  let server: Http2Server | undefined;
  while (!signal.aborted) {
    if (!server || !(await exists(socket))) {
      server?.close();
      server = undefined;
      if (await exists(kubeletSocket)) {
        await rm(socket, { force: true });
        server = await serveGrpc(socket, gpuPluginHandlers(count));
        // RegisterRequest { version = 1, endpoint = 2, resource_name = 3 }.
        const request = encode([
          [1, api],
          [2, socketName],
          [3, gpuResource],
        ]);
        await callGrpc(kubeletSocket, `/${api}.Registration/Register`, request).catch((error: unknown) => {
          server?.close();
          server = undefined;
          process.stderr.write(`device plugin registration failed, will retry: ${String(error)}\n`);
        });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  server?.close();
}
