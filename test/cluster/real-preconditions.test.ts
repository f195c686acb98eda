import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RealNodeUnavailable } from "../../src/cluster/errors.ts";
import { chooseNodeNetworks } from "../../src/cluster/providers/real/network.ts";
import {
  assertRealNodesPossible,
  realNodeProblem,
  type HostFacts,
} from "../../src/cluster/providers/real/preconditions.ts";

/** /proc/self/mounts of a hybrid host (the build machines): v1 controllers, an empty cgroup2. */
const hybridMounts = [
  "tmpfs /sys/fs/cgroup tmpfs ro,nosuid,nodev,noexec,mode=755 0 0",
  "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nosuid,nodev,noexec,relatime 0 0",
  "cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,nodev,noexec,relatime,cpu,cpuacct 0 0",
  "cgroup /sys/fs/cgroup/cpuset cgroup rw,nosuid,nodev,noexec,relatime,cpuset 0 0",
  "cgroup /sys/fs/cgroup/memory cgroup rw,nosuid,nodev,noexec,relatime,memory 0 0",
  "",
].join("\n");

/** A unified-only host (systemd's default since 2021): one cgroup2 at /sys/fs/cgroup, no v1 controller. */
const unifiedMounts = [
  "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
  "cgroup2 /sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot 0 0",
  "",
].join("\n");

const host = (facts: Partial<HostFacts>): HostFacts => ({
  platform: "linux",
  uid: 0,
  mounts: hybridMounts,
  ...facts,
});

/** The refusal is a RealNodeUnavailable (exit 2) that says what is missing and names the alternatives. */
function assertRefused(facts: HostFacts, reason: RegExp): void {
  assert.throws(
    () => assertRealNodesPossible(facts),
    (error: unknown) =>
      error instanceof RealNodeUnavailable &&
      reason.test(error.message) &&
      /kwok-only local cluster .*kind.*--kubeconfig/s.test(error.message),
  );
}

describe("where a real node cannot run, `cluster up --real-nodes` is refused", () => {
  test("a root Linux host with the v1 controllers can", () => {
    assert.equal(realNodeProblem(host({})), undefined);
    assert.doesNotThrow(() => assertRealNodesPossible(host({})));
  });

  test("not Linux", () => {
    assertRefused(host({ platform: "darwin", uid: 501 }), /real nodes need Linux \(this is darwin\)/);
  });

  test("not root", () => {
    assertRefused(host({ uid: 1000 }), /real nodes need root/);
  });

  test("a cgroup-v2-only host: the missing v1 controllers and that the host is unified-only", () => {
    assertRefused(
      host({ mounts: unifiedMounts }),
      /cgroup v1 controllers cpu, cpuacct, cpuset, memory, and this host has the unified cgroup v2 hierarchy only/,
    );
  });

  test("a v1 host that lacks a controller names it", () => {
    const noMemory = hybridMounts.replace(/^.*memory.*$/m, "");
    assertRefused(host({ mounts: noMemory }), /cgroup v1 controllers memory, which are not mounted/);
  });

  test("no /proc", () => {
    assertRefused(host({ mounts: undefined }), /real nodes need \/proc/);
  });

  test("what this machine reads of itself is what the refusal checks", () => {
    const problem = realNodeProblem();
    if (process.platform !== "linux") assert.match(problem ?? "", /need Linux/);
    else if (process.getuid?.() !== 0) assert.match(problem ?? "", /need root/);
  });
});

describe("each real node gets subnets nobody on the host uses", () => {
  const free = { subnets: new Set<string>(), interfaces: new Set<string>() };

  test("two nodes get distinct names, links and pod subnets", () => {
    const [a, b] = chooseNodeNetworks("demo", 2, free);
    assert.deepEqual(
      [a, b].map((n) => [n?.netns, n?.hostInterface, n?.nodeIp, n?.podCidr]),
      [
        ["kubeproof-demo-0", "kubeproof1", "10.250.1.2", "10.251.1.0/24"],
        ["kubeproof-demo-1", "kubeproof2", "10.250.2.2", "10.251.2.0/24"],
      ],
    );
  });

  test("a subnet or interface the host has is skipped", () => {
    const taken = { subnets: new Set(["10.250.1", "10.251.2"]), interfaces: new Set(["kubeproof3"]) };
    assert.equal(chooseNodeNetworks("demo", 1, taken)[0]?.podCidr, "10.251.4.0/24");
  });

  test("a host that leaves too few subnets is refused with the alternatives", () => {
    const subnets = new Set(Array.from({ length: 253 }, (_, i) => `10.250.${i + 1}`));
    assert.throws(
      () => chooseNodeNetworks("demo", 2, { subnets, interfaces: new Set() }),
      (error: unknown) =>
        error instanceof RealNodeUnavailable &&
        /2 real node\(s\) need as many free subnet pairs .* leave 1/.test(error.message) &&
        /Alternatives: a kwok-only local cluster/.test(error.message),
    );
  });
});
