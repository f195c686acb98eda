import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { deleteNetwork } from "../../src/cluster/providers/real/network.ts";
import { realNodeProblem } from "../../src/cluster/providers/real/preconditions.ts";

const linkExists = (name: string): boolean => {
  try {
    execFileSync("ip", ["link", "show", "dev", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

test(
  "a node's cleanup deletes its veth only when the peer is in its own namespace",
  { skip: realNodeProblem() ?? false },
  async (t) => {
    const suffix = String(process.pid % 100000);
    const other = `kptest-${suffix}`;
    const host = `kpt${suffix}`;
    t.after(() => {
      if (linkExists(host)) execFileSync("ip", ["link", "del", host]);
      if (execFileSync("ip", ["netns", "list"], { encoding: "utf8" }).includes(other))
        execFileSync("ip", ["netns", "del", other]);
    });
    execFileSync("ip", ["netns", "add", other]);
    execFileSync("ip", ["link", "add", host, "type", "veth", "peer", "name", `${host}n`]);
    execFileSync("ip", ["link", "set", `${host}n`, "netns", other]);

    // Another cluster's start that failed on the same interface name: the interface is not its own.
    await deleteNetwork({ netns: `kubeproof-not-this-${suffix}`, hostInterface: host });
    assert.equal(linkExists(host), true);

    await deleteNetwork({ netns: other, hostInterface: host });
    assert.equal(linkExists(host), false);
    assert.doesNotMatch(
      execFileSync("ip", ["netns", "list"], { encoding: "utf8" }),
      new RegExp(`^${other}\\b`, "m"),
    );
  },
);
