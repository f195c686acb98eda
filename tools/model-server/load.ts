/**
 * The stand-in model server built into a real node's image: what the side-by-side bench and the
 * real-node probe tests both need, here beside its source so that benches import no test code.
 */

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadImages } from "../../src/cluster/local-cluster.ts";
import { ociArchive } from "../../src/cluster/providers/real/oci.ts";
import { launchProcess, OutputCapture } from "../../src/process/index.ts";

/** The stand-in model server's image (tools/model-server), as the example suite names it. */
export const MODEL_SERVER_IMAGE = "kubeproof.local/model-server:1";

const source = fileURLToPath(new URL("./", import.meta.url));

/**
 * Builds tools/model-server (standard library only: seconds of compile) under the machine's heavy-build
 * lock, and loads it into the cluster's real node as `MODEL_SERVER_IMAGE`.
 */
export async function loadModelServer(cluster: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kubeproof-model-server-"));
  try {
    const binary = join(dir, "model-server");
    const output = new OutputCapture({ maxBytes: 64 * 1024 });
    const lock = process.env.KUBEPROOF_HEAVY_LOCK;
    const build = ["go", "build", "-trimpath", "-ldflags=-s", "-o", binary, "."];
    const launched = launchProcess({
      command: lock ? "flock" : build[0],
      args: lock ? [lock, ...build] : build.slice(1),
      cwd: source,
      env: { ...process.env, CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" },
      stdout: output.stream(),
      stderr: output.stream(),
      afterExit: "kill",
    });
    const exit = await launched.exited;
    if (exit.code !== 0) throw new Error(`go build of tools/model-server failed:\n${output.text()}`);
    const archive = join(dir, "model-server.tar");
    await writeFile(
      archive,
      ociArchive([
        {
          refs: [MODEL_SERVER_IMAGE],
          entries: [{ type: "file", path: "model-server", content: await readFile(binary), mode: 0o755 }],
          entrypoint: ["/model-server"],
        },
      ]),
    );
    await loadImages(cluster, [archive]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
