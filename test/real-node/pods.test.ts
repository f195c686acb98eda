import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findBinaries } from "../../src/cluster/install/index.ts";
import { loadImages } from "../../src/cluster/local-cluster.ts";
import { builtinImages, busyboxBinary } from "../../src/cluster/providers/real/images.ts";
import { ociArchive } from "../../src/cluster/providers/real/oci.ts";
import { launchProcess, lineStream } from "../../src/process/index.ts";
import { execInPod } from "../../src/kube/exec.ts";
import { waitUntil } from "../support/wait.ts";
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

  test("an image that is neither loaded nor pullable gives ErrImagePull or ImagePullBackOff, with its name", async () => {
    const image = "kubeproof.local/not-loaded:1";
    await ns.createPod("missing", { containers: [{ name: "main", image }] });
    const pod = await ns.waitPod("missing", "waiting on its image", (p) =>
      ["ErrImagePull", "ImagePullBackOff"].includes(p.status?.containerStatuses?.[0]?.state?.waiting?.reason),
    );
    assert.equal(pod.status.phase, "Pending");
    assert.match(pod.status.containerStatuses[0].state.waiting.message, /kubeproof\.local\/not-loaded:1/);
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

  test("kubectl port-forward reaches a container port", async () => {
    await ns.createPod("pf", {
      containers: [
        {
          name: "web",
          image: builtinImages.agnhost,
          args: ["netexec", "--http-port=8080"],
          readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 1 },
        },
      ],
    });
    await ns.waitPod("pf", "Ready", isReady);
    const kubectl = (await findBinaries({ components: ["kubernetes"] }))?.kubectl;
    assert.ok(kubectl, "kubectl is installed with the cluster");
    let localPort: number | undefined;
    const forward = launchProcess({
      command: kubectl,
      args: ["--kubeconfig", realKubeconfig!, "-n", ns.name, "port-forward", "pod/pf", ":8080"],
      stdout: lineStream((line) => {
        localPort ??= Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(line)?.[1]) || undefined;
      }),
      afterExit: "kill",
    });
    try {
      const port = await waitUntil("port-forward to listen", () => Promise.resolve(localPort));
      const response = await fetch(`http://127.0.0.1:${port}/hostname`);
      assert.equal(await response.text(), "pf");
    } finally {
      await forward.stop();
    }
  });

  test("`cluster load` imports an OCI archive and an OCI layout directory, and pods run them", async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "kp-load-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const image = async (tag: string): Promise<Buffer> =>
      ociArchive([
        {
          refs: [`example.com/team/loaded:${tag}`],
          entries: [
            { type: "dir", path: "bin" },
            { type: "file", path: "bin/busybox", content: await readFile(busyboxBinary), mode: 0o755 },
          ],
          // busybox picks its applet by the name it runs as, or by its first argument.
          entrypoint: ["/bin/busybox", "echo"],
          cmd: [`loaded image ${tag} says hi`],
        },
      ]);
    const archive = join(dir, "v1.tar");
    await writeFile(archive, await image("v1"));
    const layout = join(dir, "v2-layout");
    await mkdir(layout);
    await writeFile(join(dir, "v2.tar"), await image("v2"));
    execFileSync("tar", ["-xf", join(dir, "v2.tar"), "-C", layout]);

    const nodes = await loadImages(process.env.KUBEPROOF_TEST_REAL_CLUSTER!, [archive, layout]);
    assert.deepEqual(nodes, ["real-node-0"]);
    for (const tag of ["v1", "v2"]) {
      await ns.createPod(`loaded-${tag}`, {
        restartPolicy: "Never",
        containers: [{ name: "main", image: `example.com/team/loaded:${tag}` }],
      });
    }
    for (const tag of ["v1", "v2"]) {
      const pod = await ns.finished(`loaded-${tag}`);
      assert.equal(pod.status.phase, "Succeeded", JSON.stringify(pod.status.containerStatuses));
      assert.equal(await ns.log(`loaded-${tag}`), `loaded image ${tag} says hi\n`);
    }
  });
});
