import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadImages } from "../../src/cluster/local-cluster.ts";
import { clusterDir } from "../../src/cluster/paths.ts";
import { busyboxBinary } from "../../src/cluster/providers/real/images.ts";
import { ociArchive } from "../../src/cluster/providers/real/oci.ts";
import { readState } from "../../src/cluster/state.ts";
import { runCli } from "../support/cli.ts";
import { busybox, isReady, RealNamespace, realNodeLeftovers, realNodeSkip } from "../support/real-node.ts";

/**
 * A cluster of its own with two real nodes and two fake GPUs on every node, as
 * `cluster up --real-nodes 2 --gpus-per-node 2` starts it, and what `cluster down` leaves of it.
 */
const name = `two-${process.pid}`;
const gpusPerNode = 2;

describe("two real nodes", { skip: realNodeSkip }, () => {
  let ns: RealNamespace;
  let up: { code: number | null; stdout: string; stderr: string };
  before(async () => {
    up = await runCli([
      "cluster",
      "up",
      "--name",
      name,
      "--real-nodes",
      "2",
      "--gpus-per-node",
      String(gpusPerNode),
    ]);
    assert.equal(up.code, 0, up.stderr);
    ns = new RealNamespace(join(clusterDir(name), "kubeconfig"));
    await ns.open();
  });
  after(async () => {
    await ns?.close();
    await runCli(["cluster", "down", "--name", name]);
  });

  test("have their own names, node IPs and pod subnets, and every node advertises the same GPUs", async () => {
    interface NodeObject {
      metadata: { name: string };
      status: { addresses: { type: string; address: string }[]; allocatable: Record<string, string> };
    }
    const nodes = await ns.client.request<{ items: NodeObject[] }>("GET", "/api/v1/nodes");
    const real = nodes.items.filter((node) => node.metadata.name.startsWith("real-node-"));
    assert.deepEqual(real.map((node) => node.metadata.name).sort(), ["real-node-0", "real-node-1"]);
    assert.ok(real.every(isReady), "both real nodes are Ready");
    const ips = real.map((node) => node.status.addresses.find((a) => a.type === "InternalIP")?.address);
    assert.notEqual(ips[0], ips[1]);
    // `--gpus-per-node` means the same on kwok nodes and real ones.
    for (const node of nodes.items)
      assert.equal(node.status.allocatable["nvidia.com/gpu"], String(gpusPerNode), node.metadata.name);
    // Each node's kubelet reads its whole configuration (a field it ignored once put pod logs on the host).
    for (const node of ["real-node-0", "real-node-1"]) {
      const log = readFileSync(join(clusterDir(name), "logs", `${node}-kubelet.log`), "utf8");
      assert.doesNotMatch(log, /strict decoding failed/, node);
    }
  });

  test("a pod on one node reaches a pod on the other, by its IP and through a Service's DNS name", async () => {
    await ns.createPod(
      "web",
      {
        nodeName: "real-node-1",
        containers: [
          {
            name: "main",
            image: "kubeproof.local/busybox:1",
            command: ["sh", "-c", "echo served-by-node-1 > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"],
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
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
    const web = await ns.waitPod("web", "Ready", isReady);
    // Debian's static busybox wget crashes on names; nc resolves them (as in pods.test.ts).
    const get = (host: string, port: number): string =>
      `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 10 ${host} ${port} | tail -n 1`;
    const client = busybox([
      "sh",
      "-c",
      `${get(web.status.podIP, 8080)} && ${get(`web.${ns.name}.svc.cluster.local`, 80)}`,
    ]);
    await ns.createPod("client", { ...client, nodeName: "real-node-0" });
    const pod = await ns.finished("client");
    assert.equal(await ns.log("client"), "served-by-node-1\nserved-by-node-1\n");
    assert.equal(pod.status.phase, "Succeeded");
    assert.notEqual(
      web.status.podIP.split(".").slice(0, 3).join("."),
      pod.status.podIP.split(".").slice(0, 3).join("."),
    );
  });

  test("`cluster load` loads every real node, and each node's mirror serves it", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "kp-two-load-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const archive = join(dir, "image.tar");
    const image = "ghcr.io/kubeproof-test/two:1";
    await writeFile(
      archive,
      ociArchive([
        {
          refs: [image],
          entries: [
            { type: "dir", path: "bin" },
            { type: "file", path: "bin/busybox", content: await readFile(busyboxBinary), mode: 0o755 },
          ],
          entrypoint: ["/bin/busybox", "echo"],
          cmd: ["loaded on both"],
        },
      ]),
    );
    assert.deepEqual(await loadImages(name, [archive]), ["real-node-0", "real-node-1"]);
    for (const node of ["real-node-0", "real-node-1"]) {
      await ns.createPod(`load-${node}`, {
        nodeName: node,
        restartPolicy: "Never",
        containers: [{ name: "main", image, imagePullPolicy: "Always" }],
      });
    }
    for (const node of ["real-node-0", "real-node-1"]) {
      const pod = await ns.finished(`load-${node}`);
      assert.equal(pod.status.phase, "Succeeded", `${node}: ${JSON.stringify(pod.status.containerStatuses)}`);
      assert.equal(await ns.log(`load-${node}`), "loaded on both\n");
    }
  });

  test("a pod that requests a GPU runs to completion on a real node, told its device", async () => {
    await ns.createPod(
      "gpu",
      busybox(["sh", "-c", "echo $NVIDIA_VISIBLE_DEVICES"], {
        resources: { limits: { "nvidia.com/gpu": 1 } },
      }),
    );
    const pod = await ns.finished("gpu");
    assert.equal(pod.status.phase, "Succeeded");
    assert.match(pod.spec.nodeName, /^real-node-/);
    assert.match(await ns.log("gpu"), /^kubeproof-fake-gpu-\d\n$/);
  });

  test("a pod that requests more GPUs than a node advertises stays Pending, Unschedulable", async () => {
    await ns.createPod(
      "greedy",
      busybox(["true"], { resources: { limits: { "nvidia.com/gpu": gpusPerNode + 1 } } }),
    );
    const pod = await ns.waitPod("greedy", "marked unschedulable", (p) =>
      ((p.status?.conditions ?? []) as any[]).some(
        (c: any) => c.type === "PodScheduled" && c.reason === "Unschedulable",
      ),
    );
    assert.equal(pod.status.phase, "Pending");
    assert.match(
      pod.status.conditions.find((c: any) => c.type === "PodScheduled").message,
      /Insufficient nvidia\.com\/gpu/,
    );
  });

  test("`cluster down` removes both nodes: no namespace, cgroup, mount or process is left", async () => {
    const state = await readState(name);
    const interfaces = (state?.parts ?? []).flatMap((part) =>
      typeof part.resources.hostInterface === "string" ? [part.resources.hostInterface] : [],
    );
    assert.equal(interfaces.length, 2);
    const found = await realNodeLeftovers(name, interfaces);
    assert.notEqual(found.length, 0, "the nodes were running");
    const down = await runCli(["cluster", "down", "--name", name]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await realNodeLeftovers(name, interfaces), []);
  });
});
