import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { openGateNamespace, serveRepository } from "../support/git-server.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { Resources } from "../../src/kube/resources.ts";
import type { BuiltImage } from "../../src/cluster/image/index.ts";
import { feedbackDocumentSchema } from "../../src/gate/feedback/index.ts";
import { runCli } from "../support/cli.ts";
import { git, tempDir, writeFiles } from "../gate/support.ts";
import { loadKubeproofImage, unprivileged } from "../support/kubeproof-image.ts";
import { RealNamespace, realKubeconfig, realNodeSkip } from "../support/real-node.ts";
import { waitUntil } from "../support/wait.ts";

const fixtures = fileURLToPath(new URL("../fixtures/embedded/", import.meta.url));
const suite = (name: string): string => readFileSync(`${fixtures}${name}/chainsaw-test.yaml`, "utf8");

const { NODE_TEST_CONTEXT: _, ...env } = process.env;

/** A tier per suite, each running it with kubeproof against the Job's own embedded cluster. */
function gateConfig(namespace: string, image: string): string {
  const tier = (suiteName: string): object => ({
    name: `e2e-${suiteName}`,
    kind: "cluster",
    cluster: "embedded",
    image,
    repo: `http://git.${namespace}.svc.cluster.local:8080/cgi-bin/git/repo.git`,
    namespace,
    deadline: "10m",
    cloneTimeout: "1m",
    resources: {
      requests: { cpu: "100m", memory: "512Mi", "ephemeral-storage": "256Mi" },
      limits: { cpu: "2", memory: "3Gi", "ephemeral-storage": "2Gi" },
    },
    checks: [
      {
        name: "chainsaw",
        // The CTRF report in the log is what the gate parses the suite's failures from.
        run: `kubeproof test e2e/${suiteName} --reporter line,json=report.json; code=$?; cat report.json; exit $code`,
        timeout: "5m",
      },
    ],
  });
  // JSON is YAML.
  return JSON.stringify({ gate: { tiers: [tier("pass"), tier("fail")] } }, null, 2);
}

/** Importing the image, starting a cluster in the pod and running a suite: minutes on a busy machine. */
const podWaitMs = 420_000;

describe("kubeproof's own image on the real node", { skip: realNodeSkip }, () => {
  let image: BuiltImage;
  before(async () => {
    image = await loadKubeproofImage();
  });

  describe("in a pod", () => {
    const ns = new RealNamespace();
    before(() => ns.open());
    after(() => ns.close());

    test("an unprivileged pod starts the embedded cluster (kwok nodes) and runs a Chainsaw test on it", async (t) => {
      await ns.client.request("POST", ns.path("configmaps"), {
        body: { metadata: { name: "suite" }, data: { "chainsaw-test.yaml": suite("pass") } },
      });
      const script = [
        "set -e",
        // The result comes back in the termination message, which lives in the kubelet's own
        // directory: pod logs sit in the host's /var/log/pods, shared with any other real-node cluster.
        "exec 3>&1 >/tmp/out 2>&1",
        "trap 'cat /tmp/out >&3; tail -c 3500 /tmp/out >/dev/termination-log' EXIT",
        // The ConfigMap's files are links into a hidden folder; the suite is a plain copy.
        "mkdir -p /tmp/suite/pass && cp /suite/chainsaw-test.yaml /tmp/suite/pass/",
        "kubeproof cluster up --name inpod",
        "code=0",
        'kubeproof test /tmp/suite --kubeconfig "$HOME/.cache/kubeproof/clusters/inpod/kubeconfig" --reporter line || code=$?',
        "kubeproof cluster down --name inpod",
        // envtest's assets: the image points KUBEBUILDER_ASSETS at its own kube-apiserver, etcd, kubectl.
        'for b in kube-apiserver etcd kubectl; do test -x "$KUBEBUILDER_ASSETS/$b"; done',
        'echo "envtest assets: $KUBEBUILDER_ASSETS"',
        // The container's peak memory (cgroup v1, as on these machines), for the record.
        'echo "peak memory: $(cat /sys/fs/cgroup/memory/memory.max_usage_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.peak 2>/dev/null) bytes"',
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
      const log: string = pod.status.containerStatuses?.[0]?.state?.terminated?.message ?? "";
      t.diagnostic(
        `image ${image.ref}: archive ${image.archiveBytes} bytes, unpacked ${image.layerBytes} bytes`,
      );
      t.diagnostic(log);
      assert.equal(pod.status.phase, "Succeeded", log);
      assert.match(log, /1 passed/);
      assert.match(log, /cluster "inpod" stopped/);
      assert.match(log, /envtest assets: \/opt\/kubeproof\/binaries\n/);
    });
  });

  describe("in a gate Job with cluster: embedded", () => {
    const namespace = `gate-embedded-${Math.random().toString(36).slice(2, 8)}`;
    const dir = tempDir("kp-gate-embedded-");
    let client: KubeClient;
    let resources: Resources;
    let root: string;
    before(async () => {
      ({ client, resources } = await openGateNamespace(namespace, dir));
      root = join(dir, "repo");
      git(dir, "init", "-q", "-b", "main", root);
      writeFiles(root, {
        "kubeproof.yaml": gateConfig(namespace, image.ref),
        "e2e/pass/chainsaw-test.yaml": suite("pass"),
        "e2e/fail/chainsaw-test.yaml": suite("fail"),
      });
      git(root, "add", "-A");
      git(root, "commit", "-q", "-m", "suites");
      git(root, "bundle", "create", "-q", join(dir, "repo.bundle"), "--all");
      await serveRepository(resources, namespace, readFileSync(join(dir, "repo.bundle")));
    });
    after(async () => {
      await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => undefined);
      client.close();
      await rm(dir, { recursive: true, force: true });
    });

    test("a Chainsaw suite against the Job's own cluster: PASS", async () => {
      const run = await runCli(["gate", "--kubeconfig", realKubeconfig!, "--tier", "e2e-pass"], {
        cwd: root,
        env,
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^kubeproof gate: PASS/);
    });

    test("a failing suite: FAIL with the suite's parsed failures", async () => {
      const run = await runCli(
        ["gate", "--kubeconfig", realKubeconfig!, "--tier", "e2e-fail", "--feedback", "f.json"],
        { cwd: root, env },
      );
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /^kubeproof gate: FAIL/);
      const text = readFileSync(join(root, "f.json"), "utf8");
      const doc = feedbackDocumentSchema.parse(JSON.parse(text));
      const [check] = doc.checks;
      assert.equal(check?.name, "chainsaw");
      assert.equal(check.status, "failed");
      assert.deepEqual(
        check.failures?.map((f) => [f.name, f.file, f.framework]),
        [["configmap-mismatch", "e2e/fail/chainsaw-test.yaml", "kubeproof"]],
        text,
      );
      assert.match(check.failures?.[0]?.message ?? "", /goodbye/);
    });
  });
});
