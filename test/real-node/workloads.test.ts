import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { builtinImages } from "../../src/cluster/providers/real/images.ts";
import { execInPod } from "../../src/kube/exec.ts";
import { waitUntil } from "../support/wait.ts";
import { busybox, isReady, RealNamespace, realKubeconfig, realNodeSkip } from "../support/real-node.ts";

type Obj = Record<string, any>;

describe("workloads on a real node", { skip: realNodeSkip }, () => {
  const ns = new RealNamespace();
  before(() => ns.open());
  after(() => ns.close());

  test("emptyDir, ConfigMap, Secret and projected volumes mount", async () => {
    await ns.client.request("POST", ns.path("configmaps"), {
      body: { metadata: { name: "conf" }, data: { greeting: "from-configmap" } },
    });
    await ns.client.request("POST", ns.path("secrets"), {
      body: { metadata: { name: "creds" }, stringData: { password: "from-secret" } },
    });
    const script = [
      "echo from-emptydir > /scratch/file && cat /scratch/file",
      "cat /conf/greeting; echo",
      "cat /creds/password; echo",
      "cat /projected/greeting; echo",
      "cat /projected/podname; echo",
      "test -s /var/run/secrets/kubernetes.io/serviceaccount/token && echo token",
    ].join(" && ");
    await ns.createPod("volumes", {
      ...busybox(["sh", "-c", script], {
        volumeMounts: [
          { name: "scratch", mountPath: "/scratch" },
          { name: "conf", mountPath: "/conf" },
          { name: "creds", mountPath: "/creds" },
          { name: "projected", mountPath: "/projected" },
        ],
      }),
      volumes: [
        { name: "scratch", emptyDir: {} },
        { name: "conf", configMap: { name: "conf" } },
        { name: "creds", secret: { secretName: "creds" } },
        {
          name: "projected",
          projected: {
            sources: [
              { configMap: { name: "conf" } },
              { downwardAPI: { items: [{ path: "podname", fieldRef: { fieldPath: "metadata.name" } }] } },
            ],
          },
        },
      ],
    });
    const pod = await ns.finished("volumes");
    const log = await ns.log("volumes");
    assert.equal(pod.status.phase, "Succeeded", log);
    assert.equal(log, "from-emptydir\nfrom-configmap\nfrom-secret\nfrom-configmap\nvolumes\ntoken\n");
  });

  test("init containers run in order before the main container", async () => {
    const step = (name: string): Obj => ({
      name,
      image: builtinImages.busybox,
      command: ["sh", "-c", `echo ${name} >> /shared/order`],
      volumeMounts: [{ name: "shared", mountPath: "/shared" }],
    });
    await ns.createPod("init", {
      ...busybox(["cat", "/shared/order"], { volumeMounts: [{ name: "shared", mountPath: "/shared" }] }),
      initContainers: [step("first"), step("second")],
      volumes: [{ name: "shared", emptyDir: {} }],
    });
    const pod = await ns.finished("init");
    assert.equal(pod.status.phase, "Succeeded");
    assert.equal(await ns.log("init"), "first\nsecond\n");
  });

  test("a readiness probe gates Ready", async () => {
    await ns.createPod(
      "gated",
      busybox(["sleep", "3600"], {
        readinessProbe: { exec: { command: ["test", "-f", "/tmp/ready"] }, periodSeconds: 1 },
      }),
    );
    // Running, and the probe has run and failed: the container is started but not ready.
    const running = await ns.waitPod(
      "gated",
      "running with its probe failing",
      (pod) => pod.status?.phase === "Running" && pod.status.containerStatuses?.[0]?.started === true,
    );
    assert.equal(isReady(running), false);
    const touched = await execInPod({
      kubeconfig: realKubeconfig!,
      namespace: ns.name,
      pod: "gated",
      container: "main",
      command: ["touch", "/tmp/ready"],
    });
    assert.equal(touched.exitCode, 0);
    const ready = await ns.waitPod("gated", "Ready", isReady);
    assert.equal(ready.status.containerStatuses[0].ready, true);
  });

  test("a memory limit ends in OOMKilled", async () => {
    // dd's 64 MiB block is a buffer it fills: over the 16 MiB limit the kernel kills it.
    await ns.createPod(
      "oom",
      busybox(["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=4"], {
        resources: { limits: { memory: "16Mi" }, requests: { memory: "16Mi" } },
      }),
    );
    const pod = await ns.finished("oom");
    assert.equal(pod.status.phase, "Failed");
    assert.equal(pod.status.containerStatuses[0].state.terminated.reason, "OOMKilled");
  });

  test("a Job completes", async () => {
    await ns.client.request("POST", ns.path("jobs", "/apis/batch/v1"), {
      body: {
        metadata: { name: "once" },
        spec: { backoffLimit: 0, template: { spec: busybox(["sh", "-c", "echo job-done"]) } },
      },
    });
    const job = await waitUntil(
      "Job once to complete",
      async () => {
        const j = await ns.client.request<Obj>("GET", ns.path("jobs/once", "/apis/batch/v1"));
        return j.status?.succeeded === 1 ? j : undefined;
      },
      120_000,
    );
    const complete = (job.status.conditions as { type: string; status: string }[]).find(
      (c) => c.type === "Complete",
    );
    assert.equal(complete?.status, "True");
  });

  test("a pod calls the API server with its service-account token", async () => {
    // agnhost inclusterclient polls /healthz with the in-cluster config (the mounted token, the
    // kubernetes Service); an invalid token would be refused with 401 and logged as status=failed.
    await ns.createPod("incluster", {
      restartPolicy: "Never",
      containers: [
        { name: "main", image: builtinImages.agnhost, args: ["inclusterclient", "--poll-interval=1"] },
      ],
    });
    const log = await waitUntil(
      "two /healthz calls from the pod",
      async () => {
        const text = await ns.log("incluster").catch(() => "");
        return (text.match(/calling \/healthz/g) ?? []).length >= 2 ? text : undefined;
      },
      120_000,
    );
    assert.match(log, /authz_header=[\w-]{20,}/);
    assert.doesNotMatch(log, /status=failed/);
  });
});
