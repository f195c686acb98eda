import { mkdtemp, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { findBinaries } from "../../src/cluster/install/index.ts";

/**
 * A flat directory of symlinks to the installed cluster binaries, for `--bin-dir` in tests that run
 * clusters under their own KUBEPROOF_HOME. `replace` swaps in other files (a fake that crashes, say).
 * Skips the test when the binaries are not installed and the run does not require them.
 */
export async function binDirFor(
  t: TestContext,
  replace: Record<string, string> = {},
): Promise<string | undefined> {
  const binaries = await findBinaries();
  if (!binaries) {
    if (process.env.KUBEPROOF_REQUIRE_CLUSTER === "1") throw new Error("cluster binaries are not installed");
    t.skip("cluster binaries are not installed (npx kubeproof cluster install)");
    return undefined;
  }
  const dir = await mkdtemp(join(tmpdir(), "kp-bin-"));
  for (const [name, path] of Object.entries({ ...binaries, ...replace }))
    await symlink(path, join(dir, name));
  return dir;
}
