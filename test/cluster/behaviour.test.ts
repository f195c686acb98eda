import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { criLogLines } from "../../src/cluster/kwok-config.ts";
import { isNotFound, KubeClient } from "../../src/kube/client.ts";
import { execInPod } from "../../src/kube/exec.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { waitUntil } from "../support/wait.ts";

type Obj = Record<string, any>;

const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
const condition = (obj: Obj, type: string): string | undefined =>
  (obj.status?.conditions as { type: string; status: string }[] | undefined)?.find((c) => c.type === type)
    ?.status;

describe(
  "the local cluster behaves like a real one",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no cluster") },
  () => {
    let client: KubeClient;
    const ns = `behaviour-${randomBytes(3).toString("hex")}`;

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
      await client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: ns } } });
      // Pods need the namespace's default service account, which the controller-manager creates.
      await waitUntil("the default service account", () =>
        client.request("GET", `/api/v1/namespaces/${ns}/serviceaccounts/default`).then(() => true),
      );
    });
    after(async () => {
      await client.request("DELETE", `/api/v1/namespaces/${ns}`).catch(() => {});
      client.close();
    });

    test("a Deployment becomes Available with all replicas ready", async () => {
      await client.request("POST", `/apis/apps/v1/namespaces/${ns}/deployments`, {
        body: {
          metadata: { name: "web" },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: "web" } },
            template: {
              metadata: { labels: { app: "web" } },
              spec: { containers: [{ name: "web", image: "nginx" }] },
            },
          },
        },
      });
      const deployment = await waitUntil("Deployment Available", async () => {
        const d = await client.request<Obj>("GET", `/apis/apps/v1/namespaces/${ns}/deployments/web`);
        return condition(d, "Available") === "True" && d.status.readyReplicas === 2 ? d : undefined;
      });
      assert.equal(deployment.status.availableReplicas, 2);
    });

    test("a running pod's containers are ready and started, as the kubelet reports them", async () => {
      await createRunningPod(client, ns, "started");
      const pod = await client.request<Obj>("GET", `/api/v1/namespaces/${ns}/pods/started`);
      assert.deepEqual(
        pod.status.containerStatuses.map((c: Obj) => ({ name: c.name, ready: c.ready, started: c.started })),
        [{ name: "main", ready: true, started: true }],
      );
    });

    test("a claim without a class binds through the default StorageClass, and a pod using it runs", async () => {
      const classes = await client.request<Obj>("GET", "/apis/storage.k8s.io/v1/storageclasses");
      const defaults = (classes.items as Obj[])
        .filter((c) => c.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true")
        .map((c) => c.metadata.name as string);
      assert.deepEqual(defaults, ["standard"]);
      await client.request("POST", `/api/v1/namespaces/${ns}/persistentvolumeclaims`, {
        body: {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      });
      const claim = await waitUntil("the claim Bound", async () => {
        const c = await client.request<Obj>("GET", `/api/v1/namespaces/${ns}/persistentvolumeclaims/data`);
        return c.status?.phase === "Bound" ? c : undefined;
      });
      assert.equal(claim.spec.storageClassName, "standard");
      const volume = await client.request<Obj>("GET", `/api/v1/persistentvolumes/${claim.spec.volumeName}`);
      assert.equal(volume.status.phase, "Bound");
      await client.request("POST", `/api/v1/namespaces/${ns}/pods`, {
        body: {
          metadata: { name: "uses-claim" },
          spec: {
            containers: [{ name: "main", image: "busybox", volumeMounts: [{ name: "d", mountPath: "/d" }] }],
            volumes: [{ name: "d", persistentVolumeClaim: { claimName: "data" } }],
          },
        },
      });
      await waitUntil(
        "the pod using the claim Running",
        async () =>
          (await client.request<Obj>("GET", `/api/v1/namespaces/${ns}/pods/uses-claim`)).status.phase ===
          "Running",
      );
      // The claim's volume goes with the claim (reclaimPolicy Delete).
      await client.request("DELETE", `/api/v1/namespaces/${ns}/pods/uses-claim`, {
        query: { gracePeriodSeconds: "0" },
      });
      await client.request("DELETE", `/api/v1/namespaces/${ns}/persistentvolumeclaims/data`);
      await waitUntil("the claim's volume deleted", () =>
        client
          .request("GET", `/api/v1/persistentvolumes/${claim.spec.volumeName}`)
          .then(() => false)
          .catch((error: unknown) => isNotFound(error)),
      );
    });

    test("a Job's pod reaches Succeeded and the Job completes", async () => {
      await client.request("POST", `/apis/batch/v1/namespaces/${ns}/jobs`, {
        body: {
          metadata: { name: "once" },
          spec: {
            template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } },
          },
        },
      });
      const job = await waitUntil("Job Complete", async () => {
        const j = await client.request<Obj>("GET", `/apis/batch/v1/namespaces/${ns}/jobs/once`);
        return condition(j, "Complete") === "True" ? j : undefined;
      });
      assert.equal(job.status.succeeded, 1);
      const pods = await client.request<Obj>("GET", `/api/v1/namespaces/${ns}/pods`, {
        query: { labelSelector: "job-name=once" },
      });
      assert.equal(pods.items[0].status.phase, "Succeeded");
    });

    test("a pod annotated with an exit code fails with it and its termination message", async () => {
      await client.request("POST", `/api/v1/namespaces/${ns}/pods`, {
        body: {
          metadata: {
            name: "crash",
            annotations: { "kubeproof.dev/exit-code": "3", "kubeproof.dev/termination-message": "boom" },
          },
          spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] },
        },
      });
      const pod = await waitUntil("pod Failed", async () => {
        const p = await client.request<Obj>("GET", `/api/v1/namespaces/${ns}/pods/crash`);
        return p.status.phase === "Failed" ? p : undefined;
      });
      assert.deepEqual(
        {
          exitCode: pod.status.containerStatuses[0].state.terminated.exitCode,
          message: pod.status.containerStatuses[0].state.terminated.message,
        },
        { exitCode: 3, message: "boom" },
      );
    });

    test("pod logs come through the API server from kwok, as a Logs rule sets them", async () => {
      await createRunningPod(client, ns, "talker");
      const dir = await mkdtemp(join(tmpdir(), "kp-logs-"));
      const logsFile = join(dir, "talker.log");
      await writeFile(logsFile, criLogLines(["first line", "second line"]));
      await client.request("POST", `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${ns}/logs`, {
        body: {
          apiVersion: "kwok.x-k8s.io/v1alpha1",
          kind: "Logs",
          metadata: { name: "talker" },
          spec: { logs: [{ logsFile }] },
        },
      });
      const logs = await waitUntil("the pod's logs", async () => {
        const text = await client.requestText("GET", `/api/v1/namespaces/${ns}/pods/talker/log`);
        return text.includes("second line") ? text : undefined;
      });
      assert.equal(logs, "first line\nsecond line\n");
      assert.equal(
        await client.requestText("GET", `/api/v1/namespaces/${ns}/pods/talker/log`, {
          query: { tailLines: 1 },
        }),
        "second line\n",
      );
    });

    test("exec runs a command through the API server and returns its output and exit code", async () => {
      await createRunningPod(client, ns, "shell");
      const ok = await execInPod({
        kubeconfig: kubeconfig!,
        namespace: ns,
        pod: "shell",
        container: "main",
        command: ["sh", "-c", "echo hello from $0"],
      });
      assert.deepEqual(ok, { stdout: "hello from sh\n", stderr: "", exitCode: 0 });
      const failing = await execInPod({
        kubeconfig: kubeconfig!,
        namespace: ns,
        pod: "shell",
        container: "main",
        command: ["sh", "-c", "echo oops >&2; exit 7"],
      });
      assert.deepEqual(failing, { stdout: "", stderr: "oops\n", exitCode: 7 });
    });

    test("a deleted namespace goes away with its contents, and a new one gets its default service account", async () => {
      const doomed = `${ns}-doomed`;
      await client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: doomed } } });
      await waitUntil("the default service account", () =>
        client.request("GET", `/api/v1/namespaces/${doomed}/serviceaccounts/default`).then(() => true),
      );
      await client.request("POST", `/api/v1/namespaces/${doomed}/configmaps`, {
        body: { metadata: { name: "cm" }, data: { a: "1" } },
      });
      await client.request("DELETE", `/api/v1/namespaces/${doomed}`);
      await waitUntil("the namespace to be gone", () =>
        client.request("GET", `/api/v1/namespaces/${doomed}`).then(
          () => false,
          (error: unknown) => isNotFound(error),
        ),
      );
    });

    test("a CRD installs and becomes Established, and its resources can be created", async () => {
      const group = `t${randomBytes(3).toString("hex")}.example.com`;
      await client.request("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
        body: {
          metadata: { name: `widgets.${group}` },
          spec: {
            group,
            names: { kind: "Widget", plural: "widgets", singular: "widget" },
            scope: "Namespaced",
            versions: [
              {
                name: "v1",
                served: true,
                storage: true,
                schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
              },
            ],
          },
        },
      });
      await waitUntil(
        "CRD Established",
        async () =>
          condition(
            await client.request<Obj>(
              "GET",
              `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`,
            ),
            "Established",
          ) === "True",
      );
      const widget = await waitUntil("the Widget API to serve", () =>
        client.request<Obj>("POST", `/apis/${group}/v1/namespaces/${ns}/widgets`, {
          body: { apiVersion: `${group}/v1`, kind: "Widget", metadata: { name: "w" }, spec: { size: 3 } },
        }),
      );
      assert.equal(widget.spec.size, 3);
      await client.request(
        "DELETE",
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`,
      );
    });
  },
);

async function createRunningPod(client: KubeClient, ns: string, name: string): Promise<void> {
  await client.request("POST", `/api/v1/namespaces/${ns}/pods`, {
    body: { metadata: { name }, spec: { containers: [{ name: "main", image: "busybox" }] } },
  });
  await waitUntil(
    `pod ${name} Running`,
    async () =>
      (await client.request<Obj>("GET", `/api/v1/namespaces/${ns}/pods/${name}`)).status.phase === "Running",
  );
}
