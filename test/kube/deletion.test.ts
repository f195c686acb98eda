import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { KubeClient } from "../../src/kube/client.ts";
import { describeHeld, waitForDeletion } from "../../src/kube/deletion.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources, type KubeObject } from "../../src/kube/resources.ts";
import { deleteNamespace } from "../../src/run/namespace.ts";

const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
const FINALIZER = "example.com/hold";

/** Ends a wait that a broken implementation would never end, so the test fails instead of hanging. */
function safetyNet(): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 60_000).unref();
  return controller.signal;
}

describe(
  "waitForDeletion against the cluster",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no cluster") },
  () => {
    let client: KubeClient;
    let resources: Resources;
    const namespace = `kp-deletion-${randomBytes(3).toString("hex")}`;

    const configMap = (name: string, finalizers: string[] = [FINALIZER]): KubeObject => ({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name, namespace, finalizers },
    });
    const release = (name: string, inNamespace = namespace): Promise<unknown> =>
      resources
        .patch({
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name, namespace: inNamespace, finalizers: [] },
        })
        .catch(() => undefined);
    /** Deletes and returns the object as the API answered, its finalizer still holding it. */
    const deleteHeld = async (name: string): Promise<KubeObject[]> => {
      await resources.create(configMap(name));
      const deleted = await resources.delete({ apiVersion: "v1", kind: "ConfigMap", namespace, name });
      assert.equal(deleted.length, 1);
      assert.ok(deleted[0]?.metadata.deletionTimestamp, "the finalizer keeps it after the delete");
      return deleted;
    };

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
      resources = new Resources(client);
      await resources.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    });
    after(async () => {
      for (const name of ["released", "stuck", "recreated", "in-namespace"]) await release(name);
      await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => []);
      client.close();
    });

    test("resolves once the finalizer that held the object is removed", async () => {
      const deleted = await deleteHeld("released");
      let settled = false;
      const waiting = waitForDeletion(resources, deleted, safetyNet()).finally(() => (settled = true));
      // Still held: the object exists with its finalizer, so the wait must not have ended.
      const current = await resources.get({
        apiVersion: "v1",
        kind: "ConfigMap",
        namespace,
        name: "released",
      });
      assert.deepEqual(current?.metadata.finalizers, [FINALIZER]);
      assert.equal(settled, false);
      await release("released");
      assert.deepEqual(await waiting, []);
    });

    test("on abort, names what is left and the finalizers holding it", async () => {
      const deleted = await deleteHeld("stuck");
      const controller = new AbortController();
      const waiting = waitForDeletion(resources, deleted, controller.signal);
      controller.abort(new DOMException("timed out after 1s", "TimeoutError"));
      const left = await waiting;
      assert.deepEqual(left.map(describeHeld), [`ConfigMap ${namespace}/stuck (finalizers: ${FINALIZER})`]);
      await release("stuck");
    });

    test("an object recreated under the same name counts as deleted", async () => {
      const deleted = await deleteHeld("recreated");
      await release("recreated");
      // Until the API drops the old one, the create conflicts.
      for (;;) {
        try {
          await resources.create(configMap("recreated", []));
          break;
        } catch (error) {
          if (!(error instanceof Error && /already exists|409/.test(error.message))) throw error;
        }
      }
      assert.deepEqual(await waitForDeletion(resources, deleted, safetyNet()), []);
    });

    test("`holds` decides what keeps the wait: finalizers, not the object's existence", async () => {
      await resources.create(configMap("kept", []));
      const [object] = await resources
        .list({ apiVersion: "v1", kind: "ConfigMap", namespace })
        .then((l) => l.items.filter((o) => o.metadata.name === "kept"));
      assert.ok(object);
      const hasFinalizers = (o: KubeObject): boolean => (o.metadata.finalizers?.length ?? 0) > 0;
      assert.deepEqual(await waitForDeletion(resources, [object], safetyNet(), { holds: hasFinalizers }), []);
    });

    test("a namespace kept by a finalizer: the warning names it after the timeout", async () => {
      const name = `kp-deletion-ns-${randomBytes(3).toString("hex")}`;
      await resources.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
      await resources.create({
        ...configMap("in-namespace"),
        metadata: { name: "in-namespace", namespace: name, finalizers: [FINALIZER] },
      });
      const warning = await deleteNamespace(resources, name, 1500);
      assert.match(
        warning ?? "",
        new RegExp(`^namespace ${name} still terminating after 1\\.5s: .*${FINALIZER.replace(".", "\\.")}`),
      );
      await release("in-namespace", name);
      const gone = await waitForDeletion(
        resources,
        [{ apiVersion: "v1", kind: "Namespace", metadata: { name } }],
        safetyNet(),
      );
      assert.deepEqual(gone, []);
    });
  },
);
