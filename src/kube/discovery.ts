import { ApiError, type KubeClient } from "./client.ts";

/** A REST resource that serves a kind: what URL paths are built from. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural resource name, e.g. `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface ApiResourceList {
  groupVersion: string;
  resources: { name: string; kind: string; namespaced: boolean; verbs: string[] }[];
}

export class UnknownKindError extends Error {
  override name = "UnknownKindError";
}

/**
 * Maps `apiVersion` + `kind` to REST resources through the API server's discovery documents, one
 * group-version at a time, cached. A miss refreshes that group-version once, because tests install CRDs
 * and then use their kinds moments later.
 */
export class Discovery {
  private readonly cache = new Map<string, Promise<ApiResourceList | undefined>>();

  constructor(private readonly client: KubeClient) {}

  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const found = await this.lookup(apiVersion, kind, false);
    if (found) return found;
    const refreshed = await this.lookup(apiVersion, kind, true);
    if (refreshed) return refreshed;
    throw new UnknownKindError(
      `the cluster serves no kind "${kind}" in "${apiVersion}" (is the CRD installed and Established? is the apiVersion right?)`,
    );
  }

  /** Every listable resource the cluster serves (for `kubeproof clean` and diagnostics). */
  async allListable(): Promise<ResourceInfo[]> {
    const core = await this.client.request<{ versions: string[] }>("GET", "/api");
    const groups = await this.client.request<{ groups: { preferredVersion: { groupVersion: string } }[] }>(
      "GET",
      "/apis",
    );
    const groupVersions = [...core.versions, ...groups.groups.map((g) => g.preferredVersion.groupVersion)];
    const lists = await Promise.all(groupVersions.map((gv) => this.groupVersion(gv, false)));
    return lists.flatMap((list, i) =>
      list ? toInfos(groupVersions[i] ?? "", list).filter((r) => r.verbs.includes("list")) : [],
    );
  }

  private async lookup(
    apiVersion: string,
    kind: string,
    refresh: boolean,
  ): Promise<ResourceInfo | undefined> {
    const list = await this.groupVersion(apiVersion, refresh);
    return list ? toInfos(apiVersion, list).find((r) => r.kind === kind) : undefined;
  }

  private groupVersion(apiVersion: string, refresh: boolean): Promise<ApiResourceList | undefined> {
    let entry = this.cache.get(apiVersion);
    if (!entry || refresh) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      entry = this.client.request<ApiResourceList>("GET", path).catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return undefined;
        this.cache.delete(apiVersion);
        throw error;
      });
      this.cache.set(apiVersion, entry);
    }
    return entry;
  }
}

function toInfos(apiVersion: string, list: ApiResourceList): ResourceInfo[] {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return list.resources
    .filter((r) => !r.name.includes("/"))
    .map((r) => ({
      group: group ?? "",
      version: version ?? "",
      resource: r.name,
      kind: r.kind,
      namespaced: r.namespaced,
      verbs: r.verbs,
    }));
}

/** The URL of a collection (no name) or of one object. */
export function resourcePath(info: ResourceInfo, namespace?: string, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
  return `${base}${ns}/${info.resource}${name ? `/${encodeURIComponent(name)}` : ""}`;
}
