import { execFileSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildKubeproofImage, type BuiltImage } from "../../src/cluster/image/index.ts";
import { loadImages } from "../../src/cluster/local-cluster.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * kubeproof's own image, from this checkout (dist/ is rebuilt first, so the image runs the code under
 * test), loaded into the run's real-node cluster.
 */
export async function loadKubeproofImage(): Promise<BuiltImage> {
  execFileSync(join(root, "node_modules/.bin/tsc"), ["-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
  const dir = await mkdtemp(join(tmpdir(), "kp-own-image-"));
  const image = await buildKubeproofImage({
    out: join(dir, "kubeproof.tar"),
    ref: "kubeproof.local/kubeproof:test",
  });
  await loadImages(process.env.KUBEPROOF_TEST_REAL_CLUSTER!, [join(dir, "kubeproof.tar")]);
  return image;
}

/** A container security context the Pod Security "restricted" profile admits: no privileges at all. */
export const unprivileged = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
