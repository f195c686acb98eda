import { ApiError, isNotFound, type KubeClient, type WatchEventType } from "./client.ts";
import { Discovery, resourcePath, type ResourceInfo } from "./discovery.ts";

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    finalizers?: string[];
    deletionTimestamp?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Objects by kind, in one namespace (or cluster-wide), by name or label selector. */
export interface ObjectQuery {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ObjectList {
  items: KubeObject[];
  resourceVersion: string;
}

export type Propagation = "Orphan" | "Background" | "Foreground";

const fieldManager = "kubeproof";

/** Object-level operations on any kind, through discovery: what operations and assertions use. */
export class Resources {
  readonly discovery: Discovery;

  constructor(readonly client: KubeClient) {
    this.discovery = new Discovery(client);
  }

  info(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resolve(apiVersion, kind);
  }

  async get(query: ObjectQuery & { name: string }): Promise<KubeObject | undefined> {
    const info = await this.info(query.apiVersion, query.kind);
    try {
      return await this.client.request<KubeObject>("GET", resourcePath(info, query.namespace, query.name));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** A list, with kind and apiVersion filled in on every item (the API leaves them out of list items). */
  async list(query: ObjectQuery): Promise<ObjectList> {
    const info = await this.info(query.apiVersion, query.kind);
    if (query.name) {
      const one = await this.get({ ...query, name: query.name });
      return { items: one ? [one] : [], resourceVersion: one?.metadata.resourceVersion ?? "" };
    }
    const list = await this.client.request<{ items: KubeObject[]; metadata: { resourceVersion: string } }>(
      "GET",
      resourcePath(info, query.namespace),
      { query: { labelSelector: query.labelSelector, fieldSelector: query.fieldSelector } },
    );
    for (const item of list.items) {
      item.apiVersion = query.apiVersion;
      item.kind = query.kind;
    }
    return { items: list.items, resourceVersion: list.metadata.resourceVersion };
  }

  async create(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const info = await this.info(object.apiVersion, object.kind);
    return this.client.request<KubeObject>("POST", resourcePath(info, object.metadata.namespace), {
      body: object,
      query: { dryRun: options.dryRun ? "All" : undefined, fieldManager },
    });
  }

  /** Server-side apply: create or update to match `object`, taking ownership of conflicting fields. */
  async apply(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeObject> {
    if (!object.metadata.name) return this.create(object, options);
    const info = await this.info(object.apiVersion, object.kind);
    return this.client.request<KubeObject>(
      "PATCH",
      resourcePath(info, object.metadata.namespace, object.metadata.name),
      {
        body: object,
        contentType: "application/apply-patch+yaml",
        query: { dryRun: options.dryRun ? "All" : undefined, fieldManager, force: true },
      },
    );
  }

  /** Replaces an existing object (PUT), carrying over its current resourceVersion when `object` has none. */
  async update(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const name = requireName(object);
    const info = await this.info(object.apiVersion, object.kind);
    const path = resourcePath(info, object.metadata.namespace, name);
    let body = object;
    if (!object.metadata.resourceVersion) {
      const current = await this.client.request<KubeObject>("GET", path);
      body = {
        ...object,
        metadata: { ...object.metadata, resourceVersion: current.metadata.resourceVersion },
      };
    }
    return this.client.request<KubeObject>("PUT", path, {
      body,
      query: { dryRun: options.dryRun ? "All" : undefined, fieldManager },
    });
  }

  /** JSON merge patch of an existing object with `object`'s fields. */
  async patch(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<KubeObject> {
    const name = requireName(object);
    const info = await this.info(object.apiVersion, object.kind);
    return this.client.request<KubeObject>("PATCH", resourcePath(info, object.metadata.namespace, name), {
      body: object,
      contentType: "application/merge-patch+json",
      query: { dryRun: options.dryRun ? "All" : undefined, fieldManager },
    });
  }

  /** Deletes matching objects; resolves to the objects that existed (with their deletion underway). */
  async delete(query: ObjectQuery, options: { propagation?: Propagation } = {}): Promise<KubeObject[]> {
    const info = await this.info(query.apiVersion, query.kind);
    const targets = query.name
      ? [{ metadata: { name: query.name, namespace: query.namespace } }]
      : (await this.list(query)).items;
    const deleted: KubeObject[] = [];
    await Promise.all(
      targets.map(async (target) => {
        try {
          const namespace = target.metadata.namespace ?? query.namespace;
          const answer = await this.client.request<KubeObject>(
            "DELETE",
            resourcePath(info, namespace, target.metadata.name),
            {
              body: {
                kind: "DeleteOptions",
                apiVersion: "v1",
                propagationPolicy: options.propagation ?? "Background",
              },
            },
          );
          // The API answers with the object while its deletion is pending (finalizers, graceful pod
          // deletion) and with a Status once it is already gone.
          deleted.push(
            answer.kind === "Status"
              ? {
                  apiVersion: query.apiVersion,
                  kind: query.kind,
                  metadata: { name: target.metadata.name, namespace },
                }
              : answer,
          );
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }),
    );
    return deleted;
  }

  /**
   * Watches objects of a query from `resourceVersion`, calling `onEvent` per change, until `signal`
   * aborts or the server ends the watch (callers re-list and watch again). A `410 Gone` throws.
   */
  async watch(
    query: ObjectQuery,
    resourceVersion: string,
    onEvent: (type: WatchEventType, object: KubeObject) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const info = await this.info(query.apiVersion, query.kind);
    const fieldSelector = [query.fieldSelector, query.name ? `metadata.name=${query.name}` : undefined]
      .filter(Boolean)
      .join(",");
    await this.client.watch(
      resourcePath(info, query.namespace),
      {
        resourceVersion,
        labelSelector: query.labelSelector,
        fieldSelector: fieldSelector || undefined,
        timeoutSeconds: 300,
      },
      (type, object) => {
        if (type === "ERROR") {
          const status = object as { code?: number; message?: string; reason?: string };
          throw new ApiError(
            status.code ?? 500,
            status.reason ?? "WatchError",
            status.message ?? "watch error",
          );
        }
        if (type === "BOOKMARK") return;
        const item = object as unknown as KubeObject;
        item.apiVersion ||= query.apiVersion;
        item.kind ||= query.kind;
        onEvent(type, item);
      },
      signal,
    );
  }
}

function requireName(object: KubeObject): string {
  if (!object.metadata.name) throw new Error(`${object.kind} has no metadata.name`);
  return object.metadata.name;
}

export function describeObject(object: {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
}): string {
  const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : "";
  return `${object.kind ?? "object"} ${ns}${object.metadata?.name ?? "(unnamed)"}`;
}
