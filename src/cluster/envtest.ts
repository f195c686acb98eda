import { mkdir, readlink, rename, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { installBinaries, type InstallOptions } from "./install/index.ts";
import { goArch, kubeproofHome } from "./paths.ts";
import { versions } from "./versions.ts";

/** The binaries controller-runtime's envtest looks for in `$KUBEBUILDER_ASSETS`. */
export const ENVTEST_BINARIES = ["kube-apiserver", "etcd", "kubectl"] as const;

/**
 * The directory for `KUBEBUILDER_ASSETS`, laid out as `setup-envtest --bin-dir <home>/envtest` lays it
 * out: `<home>/envtest/k8s/<version>-linux-<arch>/{kube-apiserver,etcd,kubectl}`. Its entries link to
 * the pinned binaries of the cache, which are installed first (cache, download, else a build).
 */
export async function envtestAssets(options: InstallOptions = {}): Promise<string> {
  const paths = await installBinaries({ ...options, components: ["etcd", "kubernetes"] });
  const home = options.home ?? kubeproofHome(options.env ?? process.env);
  const dir = join(home, "envtest", "k8s", `${versions.kubernetes}-linux-${goArch()}`);
  await mkdir(dir, { recursive: true });
  for (const binary of ENVTEST_BINARIES) {
    const target = paths[binary];
    if (target === undefined) throw new Error(`the install gave no ${binary}`);
    const link = join(dir, binary);
    if ((await readlink(link).catch(() => undefined)) === target) continue;
    // A link made aside and renamed over the old one: a concurrent `go test` never sees it missing.
    const staging = `${link}.${process.pid}`;
    await rm(staging, { force: true });
    await symlink(target, staging);
    await rename(staging, link);
  }
  return dir;
}
