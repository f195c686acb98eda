import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { hasNvidiaGpu } from "../../src/cluster/providers/real/agent.ts";
import { gpuPluginHandlers } from "../../src/cluster/providers/real/agent/gpu-plugin.ts";
import { callGrpc, decode, encode, serveGrpc } from "../../src/cluster/providers/real/agent/grpc.ts";

test("a real NVIDIA GPU is detected by a /dev/nvidiaN device and nvidia-smi on the PATH, both", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kp-gpu-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  assert.equal(hasNvidiaGpu({ devices: ["nvidia0", "nvidiactl"], path: dir }), false);
  assert.equal(hasNvidiaGpu({ devices: ["nvidiactl"], path: "/bin" }), false);
  const smiDir = join(dir, "bin");
  await mkdir(smiDir);
  await writeFile(join(smiDir, "nvidia-smi"), "#!/bin/sh\n", { mode: 0o755 });
  assert.equal(hasNvidiaGpu({ devices: ["nvidia0"], path: `/nowhere:${smiDir}` }), true);
  assert.equal(hasNvidiaGpu({ devices: [], path: smiDir }), false);
});

test("the fake device plugin answers Allocate over gRPC with the devices it was given", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kp-grpc-"));
  const socket = join(dir, "plugin.sock");
  const server = await serveGrpc(socket, gpuPluginHandlers(2));
  t.after(async () => {
    server.close();
    await rm(dir, { recursive: true, force: true });
  });
  // AllocateRequest { container_requests: [{ devices_ids: [...] }] }.
  const request = encode([[1, encode([[1, "kubeproof-fake-gpu-1"]])]]);
  const [response] = await callGrpc(socket, "/v1beta1.DevicePlugin/Allocate", request);
  const container = decode(response ?? Buffer.alloc(0))[0];
  assert.ok(container && "bytes" in container);
  const env = decode(container.bytes)[0];
  assert.ok(env && "bytes" in env);
  const entry = decode(env.bytes).map((f) => ("bytes" in f ? f.bytes.toString("utf8") : ""));
  assert.deepEqual(entry, ["NVIDIA_VISIBLE_DEVICES", "kubeproof-fake-gpu-1"]);
  await assert.rejects(callGrpc(socket, "/v1beta1.DevicePlugin/Nothing", Buffer.alloc(0)), /grpc-status 12/);
});
