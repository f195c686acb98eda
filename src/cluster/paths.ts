import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ComponentName } from "./versions.ts";
import { componentVersion } from "./versions.ts";
import { kubeproofHome } from "../source/home.ts";

export { kubeproofHome } from "../source/home.ts";

/** Versioned cache directory of one component's binaries, e.g. `~/.cache/kubeproof/bin/etcd-v3.6.16`. */
export function componentCacheDir(component: ComponentName, home = kubeproofHome()): string {
  return join(home, "bin", `${component}-v${componentVersion(component)}-linux-${goArch()}`);
}

export function clustersDir(home = kubeproofHome()): string {
  return join(home, "clusters");
}

export function clusterDir(name: string, home = kubeproofHome()): string {
  return join(clustersDir(home), name);
}

export function goArch(): string {
  switch (process.arch) {
    case "x64":
      return "amd64";
    case "arm64":
      return "arm64";
    default:
      return process.arch;
  }
}

/** The Go wrapper modules that build the pinned binaries; shipped with the package. */
export function goToolsDir(): string {
  // Same depth from src/cluster/ and dist/cluster/, so one relative URL serves both.
  return fileURLToPath(new URL("../../tools/k8s/", import.meta.url));
}

/** Static files shipped with the package (kwok stages and CRDs). */
export function assetsDir(): string {
  return fileURLToPath(new URL("../../assets/", import.meta.url));
}
