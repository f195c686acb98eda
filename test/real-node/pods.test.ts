import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { builtinImages } from "../../src/cluster/providers/real/images.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { execInPod } from "../../src/kube/exec.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { waitUntil } from "../support/wait.ts";

type Obj = Record<string, any>;

/** The run's cluster with a real node, started by scripts/test.ts when a test under test/real-node/ runs. */
const kubeconfig = process.env.KUBEPROOF_TEST_REAL_KUBECONFIG;

/** Pods start in seconds, but the machines are shared and slow: generous waits, never timed assertions. */
const podWaitMs = 120_000;

describe(
  "pods on a real node",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_REAL_NODE ?? "no real-node cluster") },
  () => {
    let client: KubeClient;
    const ns = `real-${randomBytes(3).toString("hex")}`;

    const createPod = (name: string, spec: Obj, labels: Record<string, string> = {}): Promise<Obj> =>
      client.request("POST", `/api/v1/namespaces/${ns}/pods`, {
        body: { metadata: { name, labels }, spec: { terminationGracePeriodSeconds: 0, ...spec } },
      });
    const getPod = (name: string): Promise<Obj> =>
      client.request("GET", `/api/v1/namespaces/${ns}/pods/${name}`);
    const podInPhase = (name: string, phases: string[]): Promise<Obj> =>
      waitUntil(
        `pod ${name} in phase ${phases.join(" or ")}`,
        async () => {
          const pod = await getPod(name);
          return phases.includes(pod.status?.phase) ? pod : undefined;
        },
        podWaitMs,
      );
    const readyPod = (name: string): Promise<Obj> =>
      waitUntil(
        `pod ${name} Ready`,
        async () => {
          const pod = await getPod(name);
          const ready = (pod.status?.conditions as { type: string; status: string }[] | undefined)?.some(
            (c) => c.type === "Ready" && c.status === "True",
          );
          return ready ? pod : undefined;
        },
        podWaitMs,
      );
    const busybox = (command: string[]): Obj => ({
      restartPolicy: "Never",
      containers: [{ name: "main", image: builtinImages.busybox, imagePullPolicy: "IfNotPresent", command }],
    });

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
      await client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: ns } } });
      await waitUntil("the default service account", () =>
        client.request("GET", `/api/v1/namespaces/${ns}/serviceaccounts/default`).then(() => true),
      );
    });
    after(async () => {
      await client.request("DELETE", `/api/v1/namespaces/${ns}`).catch(() => {});
      client.close();
    });

    test("a pod runs `echo hello` on the real node and its log reads hello", async () => {
      await createPod("hello", busybox(["echo", "hello"]));
      const pod = await podInPhase("hello", ["Succeeded", "Failed"]);
      assert.equal(pod.status.phase, "Succeeded");
      // Pods land on the real node: the kwok nodes carry the kubeproof.dev/simulated taint.
      assert.equal(pod.spec.nodeName, "real-node-0");
      const log = await client.requestText("GET", `/api/v1/namespaces/${ns}/pods/hello/log`);
      assert.equal(log, "hello\n");
    });

    test("a container exiting 42 gives phase Failed and exit code 42", async () => {
      await createPod("exit42", busybox(["sh", "-c", "exit 42"]));
      const pod = await podInPhase("exit42", ["Succeeded", "Failed"]);
      assert.equal(pod.status.phase, "Failed");
      assert.equal(pod.status.containerStatuses[0].state.terminated.exitCode, 42);
    });

    test("exec returns stdout and the exit code", async () => {
      await createPod("shell", busybox(["sleep", "3600"]));
      await podInPhase("shell", ["Running"]);
      const result = await execInPod({
        kubeconfig: kubeconfig!,
        namespace: ns,
        pod: "shell",
        container: "main",
        command: ["sh", "-c", "echo out-$((6*7)); exit 3"],
      });
      assert.equal(result.stdout, "out-42\n");
      assert.equal(result.exitCode, 3);
    });

    test("a Service's DNS name answers from another pod, and the API server proxies to the pod", async () => {
      await createPod(
        "web",
        {
          containers: [
            {
              name: "web",
              image: builtinImages.agnhost,
              args: ["netexec", "--http-port=8080"],
              ports: [{ containerPort: 8080 }],
              readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
        { app: "web" },
      );
      await client.request("POST", `/api/v1/namespaces/${ns}/services`, {
        body: {
          metadata: { name: "web" },
          spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
        },
      });
      await readyPod("web");
      // agnhost netexec answers /hostname with the pod's name. Debian's static busybox wget crashes, so
      // the request is written by hand to nc, which resolves the name through the cluster DNS.
      const request = `printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 web.${ns}.svc.cluster.local 80`;
      await createPod("client", busybox(["sh", "-c", request]));
      const pod = await podInPhase("client", ["Succeeded", "Failed"]);
      const log = await client.requestText("GET", `/api/v1/namespaces/${ns}/pods/client/log`);
      assert.equal(pod.status.phase, "Succeeded", log);
      assert.match(log, /^HTTP\/1\.0 200 OK/);
      assert.match(log, /\r?\n\r?\nweb$/);
      const viaPodProxy = await client.requestText(
        "GET",
        `/api/v1/namespaces/${ns}/pods/web:8080/proxy/hostname`,
      );
      assert.equal(viaPodProxy, "web");
      const viaServiceProxy = await client.requestText(
        "GET",
        `/api/v1/namespaces/${ns}/services/web:80/proxy/hostname`,
      );
      assert.equal(viaServiceProxy, "web");
    });
  },
);
