import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { describe, test } from "node:test";
import { clustersDir } from "../../src/cluster/paths.ts";
import { readState } from "../../src/cluster/state.ts";
import { runCli, startCli } from "../support/cli.ts";
import { realNodeLeftovers, realNodeSkip } from "../support/real-node.ts";
import { waitUntil } from "../support/wait.ts";

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
      assert.notEqual((await realNodeLeftovers(name, [hostInterface])).length, 0, "the node was running");
    } finally {
      up.child.kill("SIGKILL");
      await up.result;
    }
    const down = await runCli(["cluster", "down", "--name", name]);
    assert.equal(down.code, 0, down.stderr);
    assert.deepEqual(await realNodeLeftovers(name, [hostInterface]), []);
    // Nor the start's lock, which `cluster list` would show.
    assert.equal(
      readdirSync(clustersDir()).some((entry) => entry.includes(name)),
      false,
    );
  });
});
