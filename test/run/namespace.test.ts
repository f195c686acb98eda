import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources, type ObjectQuery } from "../../src/kube/resources.ts";
import type { Test } from "../../src/model/index.ts";
import { prepareNamespace } from "../../src/run/namespace.ts";
import { Bindings } from "../../src/template/bindings.ts";

const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;

/** Resources that note which ServiceAccount reads (lists, watches) it was asked for. */
class CountingResources extends Resources {
  readonly reads: string[] = [];
  override list(query: ObjectQuery): ReturnType<Resources["list"]> {
    if (query.kind === "ServiceAccount") this.reads.push(`list ${query.namespace}/${query.name}`);
    return super.list(query);
  }
  override watch(...args: Parameters<Resources["watch"]>): ReturnType<Resources["watch"]> {
    if (args[0].kind === "ServiceAccount") this.reads.push(`watch ${args[0].namespace}/${args[0].name}`);
    return super.watch(...args);
  }
}

const aTest = (name: string, namespace?: string): Test =>
  ({ id: `namespace.test.ts:${name}`, name, ...(namespace ? { namespace } : {}) }) as unknown as Test;

describe(
  "a test's namespace against the cluster",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no cluster") },
  () => {
    let client: KubeClient;
    const made: string[] = [];
    const defaultAccount = (namespace: string) =>
      new Resources(client).get({ apiVersion: "v1", kind: "ServiceAccount", namespace, name: "default" });

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig! }));
    });
    after(async () => {
      const resources = new Resources(client);
      for (const name of made)
        await resources.delete({ apiVersion: "v1", kind: "Namespace", name }).catch(() => undefined);
      client.close();
    });

    test("a new namespace is ready once its default ServiceAccount exists", async () => {
      const resources = new CountingResources(client);
      const namespace = await prepareNamespace(resources, aTest("fresh"), {}, Bindings.empty());
      made.push(namespace.name);
      assert.equal(namespace.created, true);
      assert.ok(await defaultAccount(namespace.name), "the default ServiceAccount exists on return");
      // Read, and watched while missing: never polled by name (no `get` loop).
      assert.equal(resources.reads[0], `list ${namespace.name}/default`);
    });

    test("a namespace that has its ServiceAccount already costs one read", async () => {
      const name = `kp-ns-existing-${randomBytes(3).toString("hex")}`;
      const first = await prepareNamespace(new Resources(client), aTest("first", name), {}, Bindings.empty());
      made.push(first.name);
      assert.ok(await defaultAccount(name));
      const resources = new CountingResources(client);
      const again = await prepareNamespace(resources, aTest("again", name), {}, Bindings.empty());
      assert.deepEqual(again, { name, created: false });
      assert.deepEqual(resources.reads, [`list ${name}/default`]);
    });
  },
);
