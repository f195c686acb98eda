import { randomBytes } from "node:crypto";
import { ApiError, isNotFound } from "../kube/client.ts";
import { waitForDeletion } from "../kube/deletion.ts";
import { observe } from "../kube/observe.ts";
import type { KubeObject, Resources } from "../kube/resources.ts";
import type { Test } from "../model/index.ts";
import type { Bindings } from "../template/bindings.ts";
import { templateResource } from "../template/template.ts";
import { slug } from "./labels.ts";
import { deadline } from "../source/deadline.ts";
import { formatDuration } from "../source/duration.ts";
import { errorMessage } from "../source/errors.ts";

export interface TestNamespace {
  name: string;
  /** True when the run created it (and so deletes it afterwards). */
  created: boolean;
}

/**
 * The test's namespace: the one it names (created if missing), else a fresh collision-proof
 * `kp-<test>-<random>`. Waits briefly for its `default` service account, without which pods are
 * rejected.
 */
export async function prepareNamespace(
  resources: Resources,
  test: Test,
  labels: Record<string, string>,
  bindings: Bindings,
  configured?: { name?: string; template?: { value: unknown } },
): Promise<TestNamespace> {
  const generated =
    test.namespace ?? configured?.name ?? `kp-${slug(test.name, 40)}-${randomBytes(3).toString("hex")}`;
  const template = test.namespaceTemplate ?? configured?.template;
  const base = template
    ? (templateResource(
        structuredClone(template.value),
        bindings.with("namespace", generated),
      ) as Partial<KubeObject>)
    : {};
  // Chainsaw merges the template over the namespace object, so a name in the template wins.
  const templated = base.metadata?.name;
  const name = typeof templated === "string" && templated !== "" ? templated : generated;
  const namespace: KubeObject = {
    ...base,
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { ...base.metadata, name, labels: { ...base.metadata?.labels, ...labels } },
  };
  const created = await createNamespace(resources, namespace);
  await defaultServiceAccount(resources, name);
  return { name, created };
}

const serviceAccountWaitMs = 10_000;

/**
 * Waits for the namespace's `default` ServiceAccount, which a controller adds just after the
 * namespace: one GET when it is there already (a namespace the test names), else a watch that ends
 * at its ADDED event. Gone past the wait, the test goes on, and a pod it creates says why it failed.
 */
async function defaultServiceAccount(resources: Resources, namespace: string): Promise<void> {
  const query = { apiVersion: "v1", kind: "ServiceAccount", namespace, name: "default" };
  const wait = deadline(serviceAccountWaitMs);
  try {
    await observe(resources, query, wait.signal, (accounts) => accounts.length > 0);
  } finally {
    wait.dispose();
  }
}

/**
 * Creates the namespace; false when it exists already. A namespace of that name still terminating
 * (the previous test's, both named by a template) is waited for and created afresh, as Chainsaw gets
 * by waiting for each test's namespace to be gone: using it would lose it, and what the test
 * creates in it, mid-test.
 */
async function createNamespace(resources: Resources, namespace: KubeObject): Promise<boolean> {
  const ref = { apiVersion: "v1", kind: "Namespace", name: namespace.metadata.name ?? "" };
  const wait = deadline(terminatingWaitMs);
  try {
    for (;;) {
      try {
        await resources.create(namespace);
        return true;
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 409)) throw error;
      }
      const existing = await resources.get(ref);
      if (existing !== undefined && existing.metadata.deletionTimestamp === undefined) return false;
      // Terminating (or gone between the two calls): wait until it is gone, then create it again.
      if (existing !== undefined && (await waitForDeletion(resources, [existing], wait.signal)).length > 0)
        throw new Error(
          `namespace ${ref.name} is still terminating after ${formatDuration(terminatingWaitMs)}`,
        );
    }
  } finally {
    wait.dispose();
  }
}

const terminatingWaitMs = 60_000;

/**
 * Deletes a namespace. When objects in it carry finalizers, resolves when it is gone, or after
 * `timeoutMs` with a warning that names what blocks it; otherwise resolves at once. Runs in the
 * background while the next tests start.
 */
export async function deleteNamespace(
  resources: Resources,
  name: string,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    await resources.delete({ apiVersion: "v1", kind: "Namespace", name });
  } catch (error) {
    if (isNotFound(error)) return undefined;
    return `namespace ${name}: delete failed: ${errorMessage(error)}`;
  }
  // The namespace controller waits a fixed 5 s before it even starts deleting. Waiting that out for
  // every namespace would add 5 s to every run, and only finalizers can make a deletion hang: when no
  // object in the namespace has one, the deletion is left to finish on its own.
  if (!(await objectsWithFinalizers(resources, name))) return undefined;
  const timer = deadline(timeoutMs);
  const namespace: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name } };
  let last: KubeObject | undefined;
  try {
    [last] = await waitForDeletion(resources, [namespace], timer.signal);
  } catch (error) {
    return `namespace ${name}: waiting for its deletion failed: ${errorMessage(error)}`;
  } finally {
    timer.dispose();
  }
  if (!last) return undefined;
  const conditions =
    (last.status as { conditions?: { type: string; status: string; message?: string }[] } | undefined)
      ?.conditions ?? [];
  const fromConditions = conditions
    .filter((c) => c.status === "True" && /Remaining|Failure/.test(c.type) && c.message)
    .map((c) => c.message)
    .join("; ");
  const blocking = fromConditions || (await objectsWithFinalizers(resources, name));
  return `namespace ${name} still terminating after ${formatDuration(timeoutMs)}${blocking ? `: ${blocking}` : ""}`;
}

/**
 * The namespace controller reports remaining finalizers only after a few passes; until then, find the
 * objects that still carry finalizers ourselves.
 */
async function objectsWithFinalizers(resources: Resources, namespace: string): Promise<string> {
  const found: string[] = [];
  const infos = await resources.discovery.allListable().catch(() => []);
  await Promise.all(
    infos
      .filter((info) => info.namespaced)
      .map(async (info) => {
        const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
        const { items } = await resources
          .list({ apiVersion, kind: info.kind, namespace })
          .catch(() => ({ items: [] as KubeObject[] }));
        for (const item of items) {
          const finalizers = item.metadata.finalizers ?? [];
          if (finalizers.length > 0)
            found.push(`${info.kind} ${item.metadata.name} has finalizers ${finalizers.join(", ")}`);
        }
      }),
  );
  return found.sort().join("; ");
}
