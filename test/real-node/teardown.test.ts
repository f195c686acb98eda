import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { clusterDir, clustersDir } from "../../src/cluster/paths.ts";
import { cgroupHierarchies } from "../../src/cluster/providers/real/sandbox.ts";
import { readState } from "../../src/cluster/state.ts";
import { runCli, startCli } from "../support/cli.ts";
import { realNodeSkip } from "../support/real-node.ts";
import { waitUntil } from "../support/wait.ts";

/** Everything of a real node that could outlive it on this machine, found by the cluster's name. */
async function leftovers(name: string, hostInterface: string): Promise<string[]> {
  const found: string[] = [];
  const dir = clusterDir(name);
  const netns = execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
  if (netns.includes(`kubeproof-${name}-`)) found.push(`netns: ${netns.trim()}`);
  if (readdirSync("/sys/class/net").includes(hostInterface)) found.push(`interface ${hostInterface}`);
  for (const hierarchy of await cgroupHierarchies()) {
    if (readdirSync(hierarchy).includes(`kubeproof-${name}-0`)) found.push(`cgroup in ${hierarchy}`);
  }
  for (const line of readFileSync("/proc/self/mounts", "utf8").split("\n")) {
    if (line.includes(dir)) found.push(`mount: ${line}`);
  }
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    const cmdline = (() => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8");
      } catch {
        return "";
      }
    })();
    if (cmdline.includes(dir)) found.push(`process ${pid}: ${cmdline.replaceAll("\0", " ").slice(0, 120)}`);
  }
  return found;
}

describe("a real node's teardown", { skip: realNodeSkip }, () => {
  test("after kill -9 of kubeproof during `cluster up`, `cluster down` leaves nothing behind", async () => {
    const name = `crash-${process.pid}`;
    const up = startCli(["cluster", "up", "--name", name, "--real-nodes", "1"]);
    let hostInterface = "";
    try {
      // Killed once the node runs (kubelet started): its namespaces, cgroups, mounts and shims exist.
      await waitUntil(
        "the crashing start's kubelet",
        async () => {
          const state = await readState(name);
          const sandbox = state?.parts.find((part) => part.name === "real-node-0-sandbox");
          const recorded = sandbox?.resources.hostInterface;
          hostInterface = typeof recorded === "string" ? recorded : "";
          const node = state?.parts.find((part) => part.name === "real-node-0");
          return node?.processes.some((p) => p.name === "real-node-0-kubelet") ?? false;
        },
        120_000,
      );
      assert.notEqual((await leftovers(name, hostInterface)).length, 0, "the node was running");
    } finally {
      up.child.kill("SIGKILL");
      await up.result;
    }
    const down = await runCli(["cluster", "down", "--name", name]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await leftovers(name, hostInterface), []);
    // Nor the start's lock, which `cluster list` would show.
    assert.equal(
      readdirSync(clustersDir()).some((entry) => entry.includes(name)),
      false,
    );
  });
});
