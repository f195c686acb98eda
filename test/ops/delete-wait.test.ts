import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources } from "../../src/kube/resources.ts";
import type { DeleteOperation } from "../../src/model/index.ts";
import { runOperation, type OperationContext } from "../../src/ops/index.ts";
import { operationContext } from "../support/operation-context.ts";

const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
const location = { file: "inline.yaml", line: 1, col: 1 };

describe(
  "delete: what it waits for (waitFor)",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no cluster") },
  () => {
    let client: KubeClient;
    let resources: Resources;
    const namespace = `delete-wait-${randomBytes(3).toString("hex")}`;
    const context = (timeoutMs: number): OperationContext =>
      operationContext({ resources, client, kubeconfig: kubeconfig!, namespace }, timeoutMs);
    const deleteOf = (kind: string, name: string, waitFor?: DeleteOperation["waitFor"]): DeleteOperation => ({
      type: "delete",
      location,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      ref: { apiVersion: "v1", kind, name, namespace },
      resources: [],
      expect: [],
      ...(waitFor === undefined ? {} : { waitFor }),
    });
    // Bound to a node that does not exist: no kubelet ever confirms its deletion, so the pod stays
    // in its 30 s grace period, as a real node's pod does while its kubelet tears it down.
    const terminatingPod = async (name: string): Promise<void> => {
      await resources.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace },
        spec: {
          nodeName: "no-such-node",
          terminationGracePeriodSeconds: 30,
          containers: [{ name: "main", image: "busybox" }],
        },
      });
    };
    const pod = (name: string) => resources.get({ apiVersion: "v1", kind: "Pod", namespace, name });

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
      resources = new Resources(client);
      await resources.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    });
    after(async () => {
      for (const name of ["graceful", "waited"])
        await client
          .request("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}`, {
            body: { gracePeriodSeconds: 0 },
          })
          .catch(() => {});
      await client
        .request("PATCH", `/api/v1/namespaces/${namespace}/configmaps/held`, {
          body: { metadata: { finalizers: null } },
          contentType: "application/merge-patch+json",
        })
        .catch(() => {});
      await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => {});
      client.close();
    });

    test("finalizers: a pod in its grace period is not waited for; by default it is", async () => {
      await terminatingPod("graceful");
      const passed = await runOperation(deleteOf("Pod", "graceful", "finalizers"), context(5_000));
      assert.equal(passed.status, "passed", passed.error?.message);
      const left = await pod("graceful");
      assert.ok(left?.metadata.deletionTimestamp, "the pod is still there, being deleted");

      await terminatingPod("waited");
      const waited = await runOperation(deleteOf("Pod", "waited"), context(1_000));
      assert.equal(waited.status, "failed");
      assert.match(waited.error?.message ?? "", /still present after 1s: Pod .*waited/);
    });

    test("finalizers: an object a finalizer holds is waited for, and named at the timeout", async () => {
      await resources.create({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "held", namespace, finalizers: ["kubeproof.test/hold"] },
      });
      const held = await runOperation(deleteOf("ConfigMap", "held", "finalizers"), context(1_000));
      assert.equal(held.status, "failed");
      assert.match(
        held.error?.message ?? "",
        /still present after 1s: .*held.*finalizers: kubeproof\.test\/hold/,
      );
    });
  },
);
