/**
 * kubeproof's node agent: one process per real node, in the node's namespaces, that serves the node's
 * registry mirror (registry.ts) and, when the cluster asks for GPUs and the host has none, the fake GPU
 * device plugin (gpu-plugin.ts). Started by the real provider as `node main.js --flag=value...`.
 */
import { parseArgs } from "node:util";
import { runGpuPlugin } from "./gpu-plugin.ts";
import { startRegistry } from "./registry.ts";

const { values } = parseArgs({
  options: {
    ctr: { type: "string" },
    "containerd-socket": { type: "string" },
    "content-dir": { type: "string" },
    "registry-port": { type: "string" },
    gpus: { type: "string", default: "0" },
    "device-plugin-dir": { type: "string" },
  },
});

function required(name: keyof typeof values): string {
  const value = values[name];
  if (typeof value !== "string") throw new Error(`kubeproof node agent: --${name} is required`);
  return value;
}

async function main(): Promise<void> {
  await startRegistry(
    {
      ctr: required("ctr"),
      containerdSocket: required("containerd-socket"),
      contentDir: required("content-dir"),
    },
    "127.0.0.1",
    Number(required("registry-port")),
  );
  const gpus = Number(values.gpus);
  if (gpus > 0) await runGpuPlugin(required("device-plugin-dir"), gpus, new AbortController().signal);
}

// A program of its own, like bin/: its stderr is the cluster's logs/<node>-agent.log, which a start
// that fails because the agent exited names; it is not kubeproof's output, so no reporter is involved.
main().catch((error: unknown) => {
  process.stderr.write(
    `kubeproof node agent: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
