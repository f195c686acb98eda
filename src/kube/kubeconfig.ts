import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { errorMessage } from "../source/errors.ts";
import {
  IN_CLUSTER_CONTEXT,
  inClusterConfig,
  SERVICE_ACCOUNT_DIR,
  type InClusterOptions,
} from "./in-cluster.ts";

/** How to reach and authenticate to one API server, resolved from a kubeconfig context. */
export interface ClusterTarget {
  server: string;
  contextName: string;
  namespace?: string;
  ca?: Buffer;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  cert?: Buffer;
  key?: Buffer;
  token?: string;
  username?: string;
  password?: string;
  /** The user entry uses `exec` or `auth-provider`: client-node computes the credentials. */
  pluginAuth?: { kubeconfigPath: string };
}

interface NamedEntry<T> {
  name: string;
  cluster?: T;
  user?: T;
  context?: T;
}
type Entry = Record<string, unknown>;

export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

/** The kubeconfig paths in effect: explicit path, else `$KUBECONFIG` (list), else `~/.kube/config`. */
export function kubeconfigPaths(explicit?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  if (explicit) return [resolve(explicit)];
  if (env.KUBECONFIG)
    return env.KUBECONFIG.split(delimiter)
      .filter(Boolean)
      .map((p) => resolve(p));
  return [join(env.HOME || homedir(), ".kube", "config")];
}

/**
 * Resolves a context of a kubeconfig into a ClusterTarget. Certificate and token files are read relative
 * to the kubeconfig that names them, as kubectl does. Merging of several files follows kubectl: the first
 * file that defines a name wins.
 */
export async function loadKubeconfig(
  options: { path?: string; context?: string } & InClusterOptions = {},
): Promise<ClusterTarget> {
  const paths = kubeconfigPaths(options.path, options.env);
  const clusters = new Map<string, [Entry, string]>();
  const users = new Map<string, [Entry, string]>();
  const contexts = new Map<string, [Entry, string]>();
  let current: string | undefined;
  let loaded = 0;
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      if (options.path) throw new KubeconfigError(`cannot read kubeconfig ${path}: ${errorMessage(error)}`);
      continue;
    }
    loaded += 1;
    const doc = (parse(text) ?? {}) as Record<string, unknown>;
    current ??=
      typeof doc["current-context"] === "string" && doc["current-context"]
        ? doc["current-context"]
        : undefined;
    collect(doc.clusters, "cluster", clusters, path);
    collect(doc.users, "user", users, path);
    collect(doc.contexts, "context", contexts, path);
  }
  if (loaded === 0) {
    // No flag, no $KUBECONFIG, no ~/.kube/config: in a pod, its service account, as client-go does.
    // (An explicit path that cannot be read has thrown above.)
    const named = Boolean((options.env ?? process.env).KUBECONFIG);
    const inCluster = named ? undefined : await inClusterTarget(options);
    if (inCluster) return inCluster;
    const pod = named
      ? ""
      : `; not in a pod either (no KUBERNETES_SERVICE_HOST/PORT or no token in ${options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR})`;
    throw new KubeconfigError(`no kubeconfig found (looked at ${paths.join(", ")})${pod}`);
  }
  const contextName = options.context ?? current;
  if (!contextName)
    throw new KubeconfigError(`kubeconfig ${paths.join(", ")} has no current-context; pass --context`);
  const context = contexts.get(contextName);
  if (!context) {
    const known = [...contexts.keys()].join(", ") || "none";
    throw new KubeconfigError(
      `context "${contextName}" not found in ${paths.join(", ")} (contexts: ${known})`,
    );
  }
  const [ctx, ctxFile] = context;
  const clusterEntry = clusters.get(String(ctx.cluster));
  if (!clusterEntry)
    throw new KubeconfigError(
      `${ctxFile}: context "${contextName}" names unknown cluster "${String(ctx.cluster)}"`,
    );
  const [cluster, clusterFile] = clusterEntry;
  const userName = typeof ctx.user === "string" ? ctx.user : undefined;
  const userEntry = userName === undefined ? undefined : users.get(userName);
  if (userName !== undefined && !userEntry) {
    throw new KubeconfigError(`${ctxFile}: context "${contextName}" names unknown user "${userName}"`);
  }
  if (typeof cluster.server !== "string")
    throw new KubeconfigError(`${clusterFile}: cluster "${String(ctx.cluster)}" has no server`);

  const target: ClusterTarget = {
    server: cluster.server.replace(/\/+$/, ""),
    contextName,
    namespace: typeof ctx.namespace === "string" ? ctx.namespace : undefined,
    ca: await material(cluster, "certificate-authority", clusterFile),
    insecureSkipTlsVerify: cluster["insecure-skip-tls-verify"] === true,
    tlsServerName: typeof cluster["tls-server-name"] === "string" ? cluster["tls-server-name"] : undefined,
  };
  if (userEntry) {
    const [user, userFile] = userEntry;
    target.cert = await material(user, "client-certificate", userFile);
    target.key = await material(user, "client-key", userFile);
    if (typeof user.token === "string") target.token = user.token;
    else if (typeof user.tokenFile === "string")
      target.token = (await readFile(relativeTo(userFile, user.tokenFile), "utf8")).trim();
    if (typeof user.username === "string") target.username = user.username;
    if (typeof user.password === "string") target.password = user.password;
    if (user.exec || user["auth-provider"]) target.pluginAuth = { kubeconfigPath: userFile };
  }
  return target;
}

async function inClusterTarget(options: InClusterOptions): Promise<ClusterTarget | undefined> {
  const config = await inClusterConfig(options);
  if (config === undefined) return undefined;
  return {
    server: config.server,
    contextName: IN_CLUSTER_CONTEXT,
    ...(config.namespace !== undefined ? { namespace: config.namespace } : {}),
    ...(config.caFile !== undefined ? { ca: await readFile(config.caFile) } : {}),
    token: (await readFile(config.tokenFile, "utf8")).trim(),
  };
}

function collect(
  list: unknown,
  key: "cluster" | "user" | "context",
  into: Map<string, [Entry, string]>,
  file: string,
): void {
  if (!Array.isArray(list)) return;
  for (const item of list as NamedEntry<Entry>[]) {
    const body = item?.[key];
    if (item && typeof item.name === "string" && body && !into.has(item.name))
      into.set(item.name, [body, file]);
  }
}

async function material(entry: Entry, field: string, file: string): Promise<Buffer | undefined> {
  const inline = entry[`${field}-data`];
  if (typeof inline === "string" && inline) return Buffer.from(inline, "base64");
  const path = entry[field];
  if (typeof path === "string" && path) return readFile(relativeTo(file, path));
  return undefined;
}

function relativeTo(kubeconfigFile: string, path: string): string {
  const expanded = path.startsWith("~/") ? join(homedir(), path.slice(2)) : path;
  return isAbsolute(expanded) ? expanded : join(dirname(kubeconfigFile), expanded);
}
