import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import {
  inClusterConfig,
  inClusterKubeconfigText,
  writeInClusterKubeconfig,
} from "../../src/kube/in-cluster.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { tempDir } from "../gate/support.ts";

/** A pod's service-account mount and environment, in a temp directory. */
function fakePod(files: Record<string, string> = { token: "tok-123\n", "ca.crt": "CA", namespace: "ci\n" }): {
  dir: string;
  env: NodeJS.ProcessEnv;
} {
  const root = tempDir("kp-in-cluster-");
  const dir = join(root, "serviceaccount");
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  // HOME without a .kube/config: nothing else is configured.
  const env = { HOME: root, KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
  return { dir, env };
}

describe("the in-cluster configuration", () => {
  it("is used with no kubeconfig at all: the service host and port, the token, CA and namespace", async () => {
    const { dir, env } = fakePod();
    for (const kubeconfig of [undefined, ""]) {
      const target = await loadKubeconfig({
        env: { ...env, KUBECONFIG: kubeconfig },
        serviceAccountDir: dir,
      });
      assert.equal(target.server, "https://10.96.0.1:443");
      assert.equal(target.contextName, "in-cluster");
      assert.equal(target.token, "tok-123");
      assert.equal(target.ca?.toString(), "CA");
      assert.equal(target.namespace, "ci");
    }
  });

  it("brackets an IPv6 service address and does without a CA or namespace file", async () => {
    const { dir, env } = fakePod({ token: "t" });
    const config = await inClusterConfig({
      env: { ...env, KUBERNETES_SERVICE_HOST: "fd00::1" },
      serviceAccountDir: dir,
    });
    assert.deepEqual(config, { server: "https://[fd00::1]:443", tokenFile: join(dir, "token") });
  });

  it("is not used outside a pod, nor when $KUBECONFIG or ~/.kube/config is there", async () => {
    const { dir, env } = fakePod();
    const noHost = { ...env, KUBERNETES_SERVICE_HOST: undefined };
    assert.equal(await inClusterConfig({ env: noHost, serviceAccountDir: dir }), undefined);
    assert.equal(await inClusterConfig({ env, serviceAccountDir: join(dir, "missing") }), undefined);
    await assert.rejects(loadKubeconfig({ env: noHost, serviceAccountDir: dir }), /not in a pod either/);
    await assert.rejects(
      loadKubeconfig({ env: { ...env, KUBECONFIG: join(dir, "none") }, serviceAccountDir: dir }),
      (error: Error) => /no kubeconfig found/.test(error.message) && !/not in a pod/.test(error.message),
    );
    const home = env.HOME!;
    mkdirSync(join(home, ".kube"));
    writeFileSync(
      join(home, ".kube", "config"),
      "clusters: [{name: c, cluster: {server: https://example.test:6443}}]\n" +
        "contexts: [{name: x, context: {cluster: c}}]\ncurrent-context: x\n",
    );
    const target = await loadKubeconfig({ env, serviceAccountDir: dir });
    assert.equal(target.server, "https://example.test:6443");
  });

  it("writes a kubeconfig for scripts that names the mounted files and reads back the same", async () => {
    // As the kubelet writes it: no newline (the JavaScript client does not trim it).
    const { dir, env } = fakePod({ token: "tok-123", "ca.crt": "CA", namespace: "ci" });
    const config = await inClusterConfig({ env, serviceAccountDir: dir });
    assert.ok(config);
    const file = await writeInClusterKubeconfig(config, tempDir("kp-in-cluster-kc-"));
    assert.equal(parse(inClusterKubeconfigText(config)).users[0].user.tokenFile, join(dir, "token"));
    const target = await loadKubeconfig({ path: file });
    assert.deepEqual(
      [target.server, target.contextName, target.token, target.namespace, target.ca?.toString()],
      ["https://10.96.0.1:443", "in-cluster", "tok-123", "ci", "CA"],
    );
    // The JavaScript client, which exec and port-forward use, authenticates with the token too.
    const { KubeConfig } = await import("@kubernetes/client-node");
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    const options: { headers?: Record<string, unknown> } = {};
    await kc.applyToHTTPSOptions(options);
    assert.equal(options.headers?.Authorization, "Bearer tok-123");
  });
});
