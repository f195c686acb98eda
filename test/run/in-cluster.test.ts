import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { connectCluster } from "../../src/run/cluster-target.ts";
import { sharedKubeconfig } from "../support/cluster.ts";
import { waitUntil } from "../support/wait.ts";
import { tempDir } from "../gate/support.ts";

/**
 * In a pod, with no kubeconfig, a run uses the pod's service account. The proof without a pod: a real
 * token of a real service account of the shared cluster (TokenRequest, as the kubelet gets it), its
 * CA and namespace, written where the kubelet mounts them, and the service host and port of the API
 * server. What answers is the API server, authenticating that service account.
 */

interface Review {
  status: { userInfo: { username: string } };
}

async function serviceAccountMount(
  t: TestContext,
): Promise<{ dir: string; env: NodeJS.ProcessEnv } | undefined> {
  const kubeconfig = sharedKubeconfig(t);
  if (kubeconfig === undefined) return undefined;
  const admin = await loadKubeconfig({ path: kubeconfig });
  const client = new KubeClient(admin);
  const namespace = `in-cluster-${randomBytes(3).toString("hex")}`;
  t.after(async () => {
    await client.request("DELETE", `/api/v1/namespaces/${namespace}`).catch(() => undefined);
    client.close();
  });
  await client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: namespace } } });
  await client.request("POST", `/api/v1/namespaces/${namespace}/serviceaccounts`, {
    body: { metadata: { name: "runner" } },
  });
  const request = await waitUntil("a token for the service account", () =>
    client.request<{ status: { token: string } }>(
      "POST",
      `/api/v1/namespaces/${namespace}/serviceaccounts/runner/token`,
      {
        body: {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenRequest",
          spec: { expirationSeconds: 600 },
        },
      },
    ),
  );
  const root = tempDir("kp-in-cluster-");
  const dir = join(root, "serviceaccount");
  mkdirSync(dir);
  writeFileSync(join(dir, "token"), request.status.token);
  writeFileSync(join(dir, "ca.crt"), admin.ca ?? "");
  writeFileSync(join(dir, "namespace"), namespace);
  const server = new URL(admin.server);
  return {
    dir,
    env: { HOME: root, KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port },
  };
}

describe("a run in a pod (in-cluster configuration)", () => {
  it("connects as the pod's service account instead of starting the local cluster", async (t) => {
    const mount = await serviceAccountMount(t);
    if (!mount) return;
    const kubeconfigDir = tempDir("kp-in-cluster-kc-");
    for (const KUBECONFIG of [undefined, ""]) {
      const connected = await connectCluster({
        inCluster: { env: { ...mount.env, KUBECONFIG }, serviceAccountDir: mount.dir, kubeconfigDir },
      });
      try {
        assert.equal(connected.info.kind, "kubeconfig");
        assert.equal(connected.info.context, "in-cluster");
        const review = await connected.client.request<Review>(
          "POST",
          "/apis/authentication.k8s.io/v1/selfsubjectreviews",
          { body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } },
        );
        const namespace = (await loadKubeconfig({ path: connected.kubeconfig })).namespace;
        assert.equal(review.status.userInfo.username, `system:serviceaccount:${namespace}:runner`);
        // Scripts get the same identity through $KUBECONFIG.
        assert.equal(connected.kubeconfig, join(kubeconfigDir, "kubeconfig"));
        const scripts = new KubeClient(await loadKubeconfig({ path: connected.kubeconfig }));
        const again = await scripts.request<Review>(
          "POST",
          "/apis/authentication.k8s.io/v1/selfsubjectreviews",
          {
            body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
          },
        );
        scripts.close();
        assert.equal(again.status.userInfo.username, review.status.userInfo.username);
      } finally {
        connected.client.close();
      }
    }
  });
});
