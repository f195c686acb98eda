import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadImages } from "../../src/cluster/local-cluster.ts";
import { busyboxBinary } from "../../src/cluster/providers/real/images.ts";
import { ociArchive } from "../../src/cluster/providers/real/oci.ts";
import { RealNamespace, realNodeSkip } from "../support/real-node.ts";

/** A pod that pulls `image` every time (imagePullPolicy: Always) and runs it to its end. */
function alwaysPull(image: string, command?: string[]): Record<string, unknown> {
  return {
    restartPolicy: "Never",
    containers: [{ name: "main", image, imagePullPolicy: "Always", ...(command ? { command } : {}) }],
  };
}

describe(
  "the real node's registry mirror: pulls resolve to loaded images, offline",
  { skip: realNodeSkip },
  () => {
    const ns = new RealNamespace();
    before(() => ns.open());
    after(() => ns.close());

    test("the built-in busybox pulls as docker.io/library/busybox:1 with imagePullPolicy Always", async () => {
      await ns.createPod("upstream", alwaysPull("docker.io/library/busybox:1", ["echo", "pulled"]));
      const pod = await ns.finished("upstream");
      assert.equal(pod.status.phase, "Succeeded", JSON.stringify(pod.status.containerStatuses));
      assert.equal(await ns.log("upstream"), "pulled\n");
    });

    test("loaded images pull under the names they were loaded with, and docker.io's normalized names", async (t) => {
      const dir = await mkdtemp(join(tmpdir(), "kp-mirror-"));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const tag = `t${process.pid}`;
      const archive = join(dir, "images.tar");
      await writeFile(
        archive,
        ociArchive([
          {
            // A ghcr.io name and a short Docker Hub one, as `docker save` of busybox:1.36 would name it.
            refs: [`ghcr.io/kubeproof-test/hello:${tag}`, `mirrortest:${tag}`],
            entries: [
              { type: "dir", path: "bin" },
              { type: "file", path: "bin/busybox", content: await readFile(busyboxBinary), mode: 0o755 },
            ],
            entrypoint: ["/bin/busybox", "echo"],
            cmd: ["hello from the mirror"],
          },
        ]),
      );
      await loadImages(process.env.KUBEPROOF_TEST_REAL_CLUSTER!, [archive]);
      const images = {
        ghcr: `ghcr.io/kubeproof-test/hello:${tag}`,
        short: `mirrortest:${tag}`,
        normalized: `docker.io/library/mirrortest:${tag}`,
      };
      for (const [name, image] of Object.entries(images)) await ns.createPod(name, alwaysPull(image));
      for (const name of Object.keys(images)) {
        const pod = await ns.finished(name);
        assert.equal(
          pod.status.phase,
          "Succeeded",
          `${name}: ${JSON.stringify(pod.status.containerStatuses)}`,
        );
        assert.equal(await ns.log(name), "hello from the mirror\n");
      }
    });

    test("an image never loaded still fails with ErrImagePull or ImagePullBackOff, with its name", async () => {
      const image = "ghcr.io/kubeproof-test/never-loaded:1";
      await ns.createPod("never", alwaysPull(image));
      const pod = await ns.waitPod("never", "waiting on its image", (p) =>
        ["ErrImagePull", "ImagePullBackOff"].includes(
          p.status?.containerStatuses?.[0]?.state?.waiting?.reason,
        ),
      );
      assert.equal(pod.status.phase, "Pending");
      assert.match(
        pod.status.containerStatuses[0].state.waiting.message,
        /ghcr\.io\/kubeproof-test\/never-loaded:1/,
      );
    });
  },
);
