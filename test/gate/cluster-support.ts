import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { criLogLines } from "../../src/cluster/kwok-config.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { Resources, type KubeObject } from "../../src/kube/resources.ts";
import { sharedKubeconfig } from "../support/cluster.ts";
import { waitUntil } from "../support/wait.ts";
import { tempDir } from "./support.ts";

/**
 * The shared local cluster, one namespace per test. Namespaces enforce the Pod Security "restricted"
 * profile: a gate pod that asked for anything more would never be created, and the test would see
 * no verdict.
 */
export interface GateCluster {
  kubeconfig: string;
  client: KubeClient;
  resources: Resources;
  namespace: string;
}

export async function gateCluster(t: TestContext): Promise<GateCluster | undefined> {
  const kubeconfig = sharedKubeconfig(t);
  if (kubeconfig === undefined) return undefined;
  const client = await KubeClient.fromKubeconfig({ path: kubeconfig });
  const resources = new Resources(client);
  const namespace = `gate-${randomBytes(4).toString("hex")}`;
  await resources.create({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  });
  t.after(async () => {
    await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => undefined);
    client.close();
  });
  return { kubeconfig, client, resources, namespace };
}

/** The gate's pod in `namespace`, once the Job controller created it. */
export async function gatePod(resources: Resources, namespace: string): Promise<KubeObject> {
  return waitUntil("the gate's pod", async () => {
    const pods = await resources.list({
      apiVersion: "v1",
      kind: "Pod",
      namespace,
      labelSelector: "app.kubernetes.io/component=gate",
    });
    return pods.items[0];
  });
}

/**
 * Makes the gate pod "log" these lines: kwok serves a pod's log from the file a `Logs` object names,
 * so the gate reads them through the real pod log API. Once the log can be read, the pod is let go:
 * tests start it with `kubeproof.dev/duration: 1h` and this sets it to 0s, so the pod finishes only
 * after its log is there, however slow the machine.
 */
export async function serveLogs(
  resources: Resources,
  namespace: string,
  lines: { checks?: readonly string[]; clone?: readonly string[] },
): Promise<string> {
  const pod = await gatePod(resources, namespace);
  const name = pod.metadata.name ?? "";
  const dir = tempDir("kp-gate-logs-");
  const logs: { containers: string[]; logsFile: string }[] = [];
  for (const [container, text] of Object.entries(lines)) {
    const file = join(dir, `${container}.log`);
    await writeFile(file, criLogLines(text));
    logs.push({ containers: [container], logsFile: file });
  }
  await resources.create({
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "Logs",
    metadata: { name, namespace },
    spec: { logs },
  });
  const last = lines.checks?.at(-1);
  if (last !== undefined) {
    await waitUntil("the pod's log", async () => {
      const text = await resources.client.requestText(
        "GET",
        `/api/v1/namespaces/${namespace}/pods/${name}/log`,
        {
          query: { container: "checks" },
        },
      );
      return text.includes(last);
    });
  }
  await resources.patch({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, annotations: { "kubeproof.dev/duration": "0s" } },
  });
  return name;
}

export async function jobsIn(resources: Resources, namespace: string): Promise<KubeObject[]> {
  return (await resources.list({ apiVersion: "batch/v1", kind: "Job", namespace })).items;
}

/** A termination message as the runner writes it. */
export function summaryMessage(
  checks: { name: string; exitCode: number; seconds: number; timedOut?: boolean; error?: string }[],
): string {
  return JSON.stringify({ v: 1, checks: checks.map((c) => ({ timedOut: false, error: "", ...c })) });
}
