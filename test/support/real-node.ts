import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { clusterDir } from "../../src/cluster/paths.ts";
import { cgroupHierarchies } from "../../src/cluster/providers/real/sandbox.ts";
import { builtinImages } from "../../src/cluster/providers/real/images.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { waitUntil } from "./wait.ts";

type Obj = Record<string, any>;

/** The run's cluster with a real node, started by scripts/test.ts when a test under test/real-node/ runs. */
export const realKubeconfig = process.env.KUBEPROOF_TEST_REAL_KUBECONFIG;

/** Why the real-node tests skip (false: they run). */
export const realNodeSkip: string | false = realKubeconfig
  ? false
  : (process.env.KUBEPROOF_TEST_NO_REAL_NODE ?? "no real-node cluster");

/** Pods start in seconds, but the machines are shared and slow: generous waits, never timed assertions. */
const podWaitMs = 120_000;

/** A namespace of the real-node cluster with helpers for pods in it. */
export class RealNamespace {
  readonly name = `real-${randomBytes(3).toString("hex")}`;
  client!: KubeClient;

  /** In the run's real-node cluster, or the one of `kubeconfig`. */
  constructor(private readonly kubeconfig = realKubeconfig) {}

  async open(): Promise<void> {
    this.client = new KubeClient(await loadKubeconfig({ path: this.kubeconfig }));
    await this.client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: this.name } } });
    await waitUntil("the default service account", () =>
      this.client.request("GET", `/api/v1/namespaces/${this.name}/serviceaccounts/default`).then(() => true),
    );
  }

  async close(): Promise<void> {
    await this.client.request("DELETE", `/api/v1/namespaces/${this.name}`).catch(() => {});
    this.client.close();
  }

  path(resource: string, api = "/api/v1"): string {
    return `${api}/namespaces/${this.name}/${resource}`;
  }

  createPod(name: string, spec: Obj, labels: Record<string, string> = {}): Promise<Obj> {
    return this.client.request("POST", this.path("pods"), {
      body: { metadata: { name, labels }, spec: { terminationGracePeriodSeconds: 0, ...spec } },
    });
  }

  getPod(name: string): Promise<Obj> {
    return this.client.request("GET", this.path(`pods/${name}`));
  }

  log(pod: string, container?: string): Promise<string> {
    return this.client.requestText(
      "GET",
      this.path(`pods/${pod}/log${container ? `?container=${container}` : ""}`),
    );
  }

  /** Waits until `check` holds for the pod, and returns it. */
  waitPod(name: string, what: string, check: (pod: Obj) => boolean): Promise<Obj> {
    return waitUntil(
      `pod ${name}: ${what}`,
      async () => {
        const pod = await this.getPod(name);
        return check(pod) ? pod : undefined;
      },
      podWaitMs,
    );
  }

  inPhase(name: string, phases: string[]): Promise<Obj> {
    return this.waitPod(name, `phase ${phases.join(" or ")}`, (pod) => phases.includes(pod.status?.phase));
  }

  finished(name: string): Promise<Obj> {
    return this.inPhase(name, ["Succeeded", "Failed"]);
  }
}

export { isReady } from "../../src/kube/conditions.ts";

/** A pod spec of one busybox container running `command`, never restarted. */
export function busybox(command: string[], more: Obj = {}): Obj {
  return {
    restartPolicy: "Never",
    containers: [{ name: "main", image: builtinImages.busybox, command, ...more }],
  };
}

/** What of cluster `name`'s real nodes could outlive it on this machine; `interfaces`: their veths' host ends. */
export async function realNodeLeftovers(name: string, interfaces: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const links = readdirSync("/sys/class/net");
  for (const name of interfaces) if (links.includes(name)) found.push(`interface ${name}`);
  const netns = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
  if (netns.includes(`kubeproof-${name}-`)) found.push(`netns: ${netns.trim()}`);
  for (const hierarchy of await cgroupHierarchies()) {
    for (const entry of readdirSync(hierarchy)) {
      if (entry.startsWith(`kubeproof-${name}-`)) found.push(`cgroup ${hierarchy}/${entry}`);
    }
  }
  for (const line of readFileSync("/proc/self/mounts", "utf8").split("\n")) {
    if (line.includes(clusterDir(name))) found.push(`mount: ${line}`);
  }
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue;
    }
    if (cmdline.includes(clusterDir(name))) found.push(`process ${pid}`);
  }
  return found;
}
