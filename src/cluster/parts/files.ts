import { join } from "node:path";

/** Where the parts' certificates and kubeconfigs live inside a cluster's directory. */
export function pkiFile(dir: string, file: string): string {
  return join(dir, "pki", file);
}

export function kubeconfigFile(dir: string, file: string): string {
  return join(dir, "kubeconfigs", `${file}.kubeconfig`);
}
