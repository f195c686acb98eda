import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { builtinImages } from "../../src/cluster/providers/real/images.ts";
import { execInPod } from "../../src/kube/exec.ts";
import { busybox, isReady, RealNamespace, realKubeconfig, realNodeSkip } from "../support/real-node.ts";

describe("pods on a real node", { skip: realNodeSkip }, () => {
  const ns = new RealNamespace();
  before(() => ns.open());
  after(() => ns.close());

  test("a pod runs `echo hello` on the real node and its log reads hello", async () => {
    await ns.createPod("hello", busybox(["echo", "hello"]));
    const pod = await ns.finished("hello");
    assert.equal(pod.status.phase, "Succeeded");
    // Pods land on the real node: the kwok nodes carry the kubeproof.dev/simulated taint.
    assert.equal(pod.spec.nodeName, "real-node-0");
    assert.equal(await ns.log("hello"), "hello\n");
  });

  test("a container exiting 42 gives phase Failed and exit code 42", async () => {
    await ns.createPod("exit42", busybox(["sh", "-c", "exit 42"]));
    const pod = await ns.finished("exit42");
    assert.equal(pod.status.phase, "Failed");
    assert.equal(pod.status.containerStatuses[0].state.terminated.exitCode, 42);
  });

  test("exec returns stdout and the exit code", async () => {
    await ns.createPod("shell", busybox(["sleep", "3600"]));
    await ns.inPhase("shell", ["Running"]);
    const result = await execInPod({
      kubeconfig: realKubeconfig!,
      namespace: ns.name,
      pod: "shell",
      container: "main",
      command: ["sh", "-c", "echo out-$((6*7)); exit 3"],
    });
    assert.equal(result.stdout, "out-42\n");
    assert.equal(result.exitCode, 3);
  });

  test("a Service's DNS name answers from another pod, and the API server proxies to the pod", async () => {
    await ns.createPod(
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
    await ns.client.request("POST", ns.path("services"), {
      body: {
        metadata: { name: "web" },
        spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    });
    await ns.waitPod("web", "Ready", isReady);
    // agnhost netexec answers /hostname with the pod's name. Debian's static busybox wget crashes, so
    // the request is written by hand to nc, which resolves the name through the cluster DNS.
    const request = `printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 web.${ns.name}.svc.cluster.local 80`;
    await ns.createPod("client", busybox(["sh", "-c", request]));
    const pod = await ns.finished("client");
    const log = await ns.log("client");
    assert.equal(pod.status.phase, "Succeeded", log);
    assert.match(log, /^HTTP\/1\.0 200 OK/);
    assert.match(log, /\r?\n\r?\nweb$/);
    assert.equal(await ns.client.requestText("GET", ns.path("pods/web:8080/proxy/hostname")), "web");
    assert.equal(await ns.client.requestText("GET", ns.path("services/web:80/proxy/hostname")), "web");
  });
});
