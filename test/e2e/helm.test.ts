import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources } from "../../src/kube/resources.ts";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));
const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  name: "widgets.kit.kubeproof.dev",
};

const reportDir = (): Promise<string> => mkdtemp(join(tmpdir(), "kp-helm-report-"));

async function withResources<T>(kubeconfig: string, use: (resources: Resources) => Promise<T>): Promise<T> {
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  try {
    return await use(new Resources(client));
  } finally {
    client.close();
  }
}

test("a chart with a CRD and a Deployment installs with its values, and cleanup removes all of it", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  // The script's `helm status` finds the pinned helm on PATH, which the test's own PATH lacks.
  const result = await runCli(
    ["test", "helm", "--kubeconfig", kubeconfig, "--reporter", "line", "--report-dir", await reportDir()],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  await withResources(kubeconfig, async (resources) => {
    assert.equal(await resources.get(crd), undefined, "the chart's CRD is deleted at cleanup");
    const secrets = await resources.list({
      apiVersion: "v1",
      kind: "Secret",
      namespace: "",
      labelSelector: "owner=helm,name=widgets",
    });
    assert.deepEqual(
      secrets.items.map((s) => s.metadata.name),
      [],
      "helm's release record is deleted",
    );
  });
});

test("a failed install shows the chart's resources and their events", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const result = await runCli(
    [
      "test",
      "helm-failing",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line",
      "--report-dir",
      await reportDir(),
    ],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(result.stdout, /helm upgrade --install stuck \.\.\/helm\/chart failed: /);
  assert.match(result.stdout, /resource Deployment kp-[\w-]+\/stuck-manager: 0\/1 ready, Available=False/);
  assert.match(result.stdout, /resource ConfigMap kp-[\w-]+\/stuck-settings: exists/);
  assert.match(result.stdout, /event \S+ {2}Warning {2}FailedScheduling {2}Pod\/stuck-manager-/);
});

test("a helm release name helm would refuse is a usage error at its position, before any cluster", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kp-helm-bad-"));
  await writeFile(
    join(dir, "chainsaw-test.yaml"),
    [
      "apiVersion: kubeproof.dev/v1alpha1",
      "kind: Test",
      "metadata: { name: bad }",
      "spec:",
      "  steps:",
      "    - try:",
      "        - helm: { release: Not_Valid, chart: ./chart }",
      "",
    ].join("\n"),
  );
  const result = await runCli(["test", ".", "--kubeconfig", "/nonexistent"], { cwd: dir });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(result.stderr, /^chainsaw-test\.yaml:7:\d+: .*release.*lowercase letters, digits and '-'/m);
});
