import { readFileSync } from "node:fs";
import { RealNodeUnavailable } from "../../errors.ts";

/** The cgroup v1 controllers the kubelet insists on. */
const requiredControllers = ["cpu", "cpuacct", "cpuset", "memory"];

/** Why this machine cannot run a real node, or undefined when it can. */
export function realNodeProblem(): string | undefined {
  if (process.platform !== "linux") return `real nodes need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "real nodes need root (network namespaces, mounts, cgroups)";
  let mounts: string;
  try {
    mounts = readFileSync("/proc/self/mounts", "utf8");
  } catch {
    return "real nodes need /proc";
  }
  const v1 = new Set(
    mounts
      .split("\n")
      .map((line) => line.split(" "))
      .filter((fields) => fields[2] === "cgroup")
      .flatMap((fields) => (fields[3] ?? "").split(",")),
  );
  const missing = requiredControllers.filter((controller) => !v1.has(controller));
  if (missing.length === 0) return undefined;
  if (/ \/sys\/fs\/cgroup cgroup2 /.test(mounts))
    return "real nodes support cgroup v1 hosts only so far (this host has cgroup v2 only)";
  return `real nodes need the cgroup controllers ${missing.join(", ")}, which are not mounted`;
}

/** Throws, with what is missing and the alternatives, when this machine cannot run a real node. */
export function assertRealNodesPossible(): void {
  const problem = realNodeProblem();
  if (!problem) return;
  throw new RealNodeUnavailable(
    `cannot start real nodes: ${problem}.\n` +
      "Alternatives: a kwok-only local cluster (drop --real-nodes / cluster.realNodes), kind, or an " +
      "existing cluster through --kubeconfig.",
  );
}
