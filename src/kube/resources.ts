import { ApiError, isNotFound, type ApiWarning, type KubeClient, type WatchEventType } from "./client.ts";
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

export interface WriteOptions {
  dryRun?: boolean;
  /** Receives the API server's warnings about the write (deprecated versions, ...). */
  onWarning?: (warning: ApiWarning) => void;
  /** The server's field validation; default Strict (unknown or duplicated fields are errors). */
  fieldValidation?: "Strict" | "Warn" | "Ignore";
}

const fieldManager = "kubeproof";
/** Unknown or duplicated fields are errors, not warnings, as with Chainsaw's client. */
const fieldValidation = "Strict";

function writeQuery(options: WriteOptions): Record<string, string | undefined> {
  return {
    dryRun: options.dryRun ? "All" : undefined,
    fieldManager,
    fieldValidation: options.fieldValidation ?? fieldValidation,
  };
}

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

  async create(object: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    const info = await this.info(object.apiVersion, object.kind);
    return this.client.request<KubeObject>("POST", resourcePath(info, object.metadata.namespace), {
      body: object,
      query: writeQuery(options),
      onWarning: options.onWarning,
    });
  }

  /**
   * Chainsaw's apply: create the object when it does not exist, otherwise JSON-merge-patch it with the
   * current resourceVersion (so a concurrent change is a conflict, not a silent overwrite). Fields the
   * object leaves out stay as they are, unlike server-side apply, which drops fields it applied before.
   */
  async createOrPatch(
    object: KubeObject,
    options: WriteOptions = {},
  ): Promise<{ object: KubeObject; created: boolean }> {
    const name = object.metadata.name;
    const current = name ? await this.get({ ...object, ...object.metadata, name }) : undefined;
    if (!current) return { object: await this.create(object, options), created: true };
    const body = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: current.metadata.resourceVersion },
    };
    return { object: await this.patch(body, options), created: false };
  }

  /** Server-side apply: create or update to match `object`, taking ownership of conflicting fields. */
  async apply(object: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
    if (!object.metadata.name) return this.create(object, options);
    const info = await this.info(object.apiVersion, object.kind);
    return this.client.request<KubeObject>(
      "PATCH",
      resourcePath(info, object.metadata.namespace, object.metadata.name),
      {
        body: object,
        contentType: "application/apply-patch+yaml",
        query: { ...writeQuery(options), force: "true" },
        onWarning: options.onWarning,
      },
    );
  }

  /** Replaces an existing object (PUT), carrying over its current resourceVersion when `object` has none. */
  async update(object: KubeObject, options: WriteOptions = {}): Promise<KubeObject> {
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
      query: writeQuery(options),
      onWarning: options.onWarning,
    });
  }

  /** JSON merge patch of an existing object (or of its `subresource`, e.g. `status`) with `object`'s fields. */
  async patch(
    object: KubeObject,
    options: WriteOptions & { subresource?: string } = {},
  ): Promise<KubeObject> {
    const name = requireName(object);
    const info = await this.info(object.apiVersion, object.kind);
    const path = resourcePath(info, object.metadata.namespace, name);
    const target = options.subresource ? `${path}/${encodeURIComponent(options.subresource)}` : path;
    return this.client.request<KubeObject>("PATCH", target, {
      body: object,
      contentType: "application/merge-patch+json",
      query: writeQuery(options),
      onWarning: options.onWarning,
    });
  }

  /** Deletes matching objects; resolves to the objects that existed (with their deletion underway). */
  async delete(
    query: ObjectQuery,
    options: { propagation?: Propagation; onWarning?: (warning: ApiWarning) => void } = {},
  ): Promise<KubeObject[]> {
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
              onWarning: options.onWarning,
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
