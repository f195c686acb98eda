import { readFileSync } from "node:fs";
import { RealNodeUnavailable } from "../../errors.ts";

/** The cgroup v1 controllers the kubelet insists on. */
const requiredControllers = ["cpu", "cpuacct", "cpuset", "memory"];

/** What the refusal reads of the machine; a test passes its own. */
export interface HostFacts {
  platform: NodeJS.Platform;
  /** The effective user id, undefined where there is none (Windows). */
  uid: number | undefined;
  /** /proc/self/mounts, undefined when it cannot be read. */
  mounts: string | undefined;
}

export function readHostFacts(): HostFacts {
  let mounts: string | undefined;
  try {
    mounts = readFileSync("/proc/self/mounts", "utf8");
  } catch {
    mounts = undefined;
  }
  return { platform: process.platform, uid: process.getuid?.(), mounts };
}

/** Why this machine cannot run a real node, or undefined when it can. */
export function realNodeProblem(host: HostFacts = readHostFacts()): string | undefined {
  if (host.platform !== "linux") return `real nodes need Linux (this is ${host.platform})`;
  if (host.uid !== 0) return "real nodes need root (network namespaces, mounts, cgroups)";
  if (host.mounts === undefined) return "real nodes need /proc";
  const fields = host.mounts.split("\n").map((line) => line.split(" "));
  const v1 = new Set(fields.filter((f) => f[2] === "cgroup").flatMap((f) => (f[3] ?? "").split(",")));
  const missing = requiredControllers.filter((controller) => !v1.has(controller));
  if (missing.length === 0) return undefined;
  // A unified-only host mounts cgroup2 at /sys/fs/cgroup itself (a hybrid one at .../unified).
  if (fields.some((f) => f[1] === "/sys/fs/cgroup" && f[2] === "cgroup2"))
    return (
      `real nodes need the cgroup v1 controllers ${missing.join(", ")}, and this host has the unified ` +
      "cgroup v2 hierarchy only, which the real node does not drive yet (boot with " +
      "systemd.unified_cgroup_hierarchy=0 for a hybrid layout)"
    );
  return `real nodes need the cgroup v1 controllers ${missing.join(", ")}, which are not mounted`;
}

/** The refusal's text: what is missing and what to use instead. */
export function realNodeRefusal(problem: string): string {
  return (
    `cannot start real nodes: ${problem}.\n` +
    "Alternatives: a kwok-only local cluster (drop --real-nodes / cluster.realNodes), kind, or an " +
    "existing cluster through --kubeconfig."
  );
}

/** Throws, with what is missing and the alternatives, when this machine cannot run a real node. */
export function assertRealNodesPossible(host?: HostFacts): void {
  const problem = realNodeProblem(host);
  if (problem) throw new RealNodeUnavailable(realNodeRefusal(problem));
}
