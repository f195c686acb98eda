import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources } from "../../src/kube/resources.ts";
import type { PatchOperation, SourceDocument } from "../../src/model/index.ts";
import { runOperation } from "../../src/ops/index.ts";
import { operationContext } from "../support/operation-context.ts";

const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
const location = { file: "inline.yaml", line: 1, col: 1 };
const doc = (value: unknown): SourceDocument => ({ value, location, locate: () => location });

describe(
  "patch of a subresource (Chainsaw's patch.subresource)",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no cluster") },
  () => {
    let client: KubeClient;
    let resources: Resources;
    const namespace = `subresource-${randomBytes(3).toString("hex")}`;

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
      resources = new Resources(client);
      await resources.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    });
    after(async () => {
      await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => {});
      client.close();
    });

    test("writes the status, which a patch of the object itself ignores", async () => {
      await resources.create({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "front", namespace },
        spec: { type: "LoadBalancer", ports: [{ port: 80 }] },
      });
      const status = { loadBalancer: { ingress: [{ ip: "10.9.8.7" }] } };
      const patch = (subresource?: string): PatchOperation => ({
        type: "patch",
        location,
        bindings: [],
        outputs: [],
        template: true,
        continueOnError: false,
        dryRun: false,
        expect: [],
        resources: [doc({ apiVersion: "v1", kind: "Service", metadata: { name: "front" }, status })],
        ...(subresource === undefined ? {} : { subresource }),
      });
      const context = operationContext({ resources, client, kubeconfig: kubeconfig!, namespace }, 10_000);
      const ingress = async (): Promise<unknown> => {
        const service = await resources.get({ apiVersion: "v1", kind: "Service", namespace, name: "front" });
        const current = service?.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined;
        return current?.loadBalancer?.ingress?.map((i) => i.ip) ?? [];
      };

      assert.equal((await runOperation(patch(), context)).status, "passed");
      assert.deepEqual(await ingress(), [], "the main resource ignores status");
      assert.equal((await runOperation(patch("status"), context)).status, "passed");
      assert.deepEqual(await ingress(), ["10.9.8.7"]);
    });
  },
);
