import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { BuiltImage } from "../../src/cluster/image/index.ts";
import { loadKubeproofImage, unprivileged } from "../support/kubeproof-image.ts";
import { RealNamespace, realNodeSkip } from "../support/real-node.ts";
import { waitUntil } from "../support/wait.ts";

const fixtures = fileURLToPath(new URL("../fixtures/embedded/", import.meta.url));
const suite = (name: string): string => readFileSync(`${fixtures}${name}/chainsaw-test.yaml`, "utf8");

/** Importing the image, starting a cluster in the pod and running a suite: minutes on a busy machine. */
const podWaitMs = 420_000;

describe("kubeproof's own image on the real node", { skip: realNodeSkip }, () => {
  const ns = new RealNamespace();
  let image: BuiltImage;
  before(async () => {
    image = await loadKubeproofImage();
    await ns.open();
  });
  after(() => ns.close());

  test("an unprivileged pod starts the embedded cluster (kwok nodes) and runs a Chainsaw test on it", async (t) => {
    await ns.client.request("POST", ns.path("configmaps"), {
      body: { metadata: { name: "suite" }, data: { "chainsaw-test.yaml": suite("pass") } },
    });
    const script = [
      "set -e",
      // The ConfigMap's files are links into a hidden folder; the suite is a plain copy.
      "mkdir -p /tmp/suite/pass && cp /suite/chainsaw-test.yaml /tmp/suite/pass/",
      "kubeproof cluster up --name inpod",
      "code=0",
      'kubeproof test /tmp/suite --kubeconfig "$HOME/.cache/kubeproof/clusters/inpod/kubeconfig" --reporter line || code=$?',
      "kubeproof cluster down --name inpod",
      'exit "$code"',
    ].join("\n");
    await ns.createPod("embedded", {
      restartPolicy: "Never",
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [
        {
          name: "main",
          image: image.ref,
          imagePullPolicy: "Never",
          command: ["sh", "-c", script],
          securityContext: unprivileged,
          resources: { limits: { cpu: "2", memory: "3Gi" }, requests: { cpu: "100m", memory: "1Gi" } },
          volumeMounts: [{ name: "suite", mountPath: "/suite" }],
        },
      ],
      volumes: [{ name: "suite", configMap: { name: "suite" } }],
    });
    const pod = await waitUntil(
      "pod embedded to finish",
      async () => {
        const p = await ns.getPod("embedded");
        return ["Succeeded", "Failed"].includes(p.status?.phase) ? p : undefined;
      },
      podWaitMs,
    );
    const log = await ns.log("embedded");
    t.diagnostic(log);
    assert.equal(pod.status.phase, "Succeeded", log);
    assert.match(log, /1 passed/);
    assert.match(log, /cluster "inpod" stopped/);
  });
});
