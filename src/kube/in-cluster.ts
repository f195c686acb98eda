import { existsSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

/**
 * The in-cluster configuration, as client-go's `rest.InClusterConfig` and the Python client's
 * `load_incluster_config` find it: inside a pod, the API server is `$KUBERNETES_SERVICE_HOST:
 * $KUBERNETES_SERVICE_PORT` and the pod's service-account token, CA and namespace are mounted at
 * /var/run/secrets/kubernetes.io/serviceaccount. kubeproof uses it when no kubeconfig is
 * configured, so it runs in a pod (the gate's Job tier, a CI runner pod) with no set-up.
 */

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The context name of the in-cluster configuration, in messages and in the kubeconfig written for it. */
export const IN_CLUSTER_CONTEXT = "in-cluster";

export interface InClusterConfig {
  server: string;
  tokenFile: string;
  /** The cluster's CA, when mounted (it always is, unless the pod says otherwise). */
  caFile?: string;
  namespace?: string;
}

export interface InClusterOptions {
  env?: NodeJS.ProcessEnv;
  /** Where the service account is mounted; the default is the kubelet's. For tests. */
  serviceAccountDir?: string;
  /** Where the kubeconfig for scripts is written (`writeInClusterKubeconfig`); default: the temp directory. */
  kubeconfigDir?: string;
}

/** The in-cluster configuration, or undefined outside a pod (no service host, port or token). */
export async function inClusterConfig(options: InClusterOptions = {}): Promise<InClusterConfig | undefined> {
  const env = options.env ?? process.env;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(dir, "token");
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const caFile = join(dir, "ca.crt");
  const namespace = await readFile(join(dir, "namespace"), "utf8").then(
    (text) => text.trim() || undefined,
    () => undefined,
  );
  return {
    // An IPv6 service address needs brackets in a URL, as client-go's net.JoinHostPort gives it.
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    tokenFile,
    ...(existsSync(caFile) ? { caFile } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

/** The configuration as a kubeconfig document, naming the mounted files rather than copying them. */
export function inClusterKubeconfigText(config: InClusterConfig): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: IN_CLUSTER_CONTEXT,
        cluster: {
          server: config.server,
          ...(config.caFile !== undefined ? { "certificate-authority": config.caFile } : {}),
        },
      },
    ],
    // kubectl (client-go) reads `tokenFile`, the JavaScript client (exec, port-forward) `token-file`;
    // each ignores the other's. A file, not the token: the kubelet rotates it in place.
    users: [
      { name: IN_CLUSTER_CONTEXT, user: { tokenFile: config.tokenFile, "token-file": config.tokenFile } },
    ],
    contexts: [
      {
        name: IN_CLUSTER_CONTEXT,
        context: {
          cluster: IN_CLUSTER_CONTEXT,
          user: IN_CLUSTER_CONTEXT,
          ...(config.namespace !== undefined ? { namespace: config.namespace } : {}),
        },
      },
    ],
    "current-context": IN_CLUSTER_CONTEXT,
  });
}

/**
 * Writes the kubeconfig for scripts and commands a run starts (`$KUBECONFIG`: kubectl, helm, the
 * exec and port-forward client), and returns its path. It holds file paths, no secret, and the same
 * text for the same pod, so one file per user in the temp directory, replaced atomically, will do.
 */
export async function writeInClusterKubeconfig(config: InClusterConfig, dir?: string): Promise<string> {
  const target = dir ?? join(tmpdir(), `kubeproof-in-cluster-${process.getuid?.() ?? "user"}`);
  await mkdir(target, { recursive: true, mode: 0o700 });
  const file = join(target, "kubeconfig");
  const partial = `${file}.${process.pid}`;
  await writeFile(partial, inClusterKubeconfigText(config), { mode: 0o600 });
  await rename(partial, file);
  return file;
}
