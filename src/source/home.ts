import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Root of kubeproof's cache and state: `$KUBEPROOF_HOME`, default `~/.cache/kubeproof`. Here, at the
 * bottom, because the cluster's binaries and state and the kube client's context selectors all live
 * under it.
 */
export function kubeproofHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBEPROOF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "kubeproof");
}
