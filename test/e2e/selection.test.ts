import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

async function listed(args: string[]): Promise<string[]> {
  const result = await runCli(["test", "selection", "--list", ...args], { cwd: fixtures });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim().split("\n").slice(0, -1);
}

test("--list shows copy-pasteable ids and locations without touching a cluster", async () => {
  assert.deepEqual(await listed([]), [
    "selection/alpha-test.yaml::alpha  selection/alpha-test.yaml:1",
    "selection/beta-test.yaml::beta  selection/beta-test.yaml:1",
    "selection/gamma-test.yaml::gamma  selection/gamma-test.yaml:1",
  ]);
});

test("--grep, --grep-invert and --selector filter; a path:line or a test id runs one test", async () => {
  assert.deepEqual(await listed(["--grep", "al|be"]), [
    "selection/alpha-test.yaml::alpha  selection/alpha-test.yaml:1",
    "selection/beta-test.yaml::beta  selection/beta-test.yaml:1",
  ]);
  assert.deepEqual(await listed(["--grep-invert", "beta"]), [
    "selection/alpha-test.yaml::alpha  selection/alpha-test.yaml:1",
    "selection/gamma-test.yaml::gamma  selection/gamma-test.yaml:1",
  ]);
  assert.deepEqual(await listed(["--selector", "tier=slow"]), [
    "selection/gamma-test.yaml::gamma  selection/gamma-test.yaml:1",
  ]);
  assert.deepEqual(await listed(["--selector", "tier!=slow"]), [
    "selection/alpha-test.yaml::alpha  selection/alpha-test.yaml:1",
    "selection/beta-test.yaml::beta  selection/beta-test.yaml:1",
  ]);
  const one = await runCli(["test", "selection/beta-test.yaml:1", "--list"], { cwd: fixtures });
  assert.equal(one.stdout, "selection/beta-test.yaml::beta  selection/beta-test.yaml:1\n1 test(s)\n");
  const byId = await runCli(["test", "selection/beta-test.yaml::beta", "--list"], { cwd: fixtures });
  assert.equal(byId.stdout, one.stdout);
});

test("--shard splits the selection into disjoint parts that cover it", async () => {
  const first = await listed(["--shard", "1/2"]);
  const second = await listed(["--shard", "2/2"]);
  assert.deepEqual([...first, ...second].sort(), await listed([]));
  assert.equal(first.filter((t) => second.includes(t)).length, 0);
  const bad = await runCli(["test", "selection", "--shard", "3/2", "--list"], { cwd: fixtures });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--shard expects i\/n with 1 <= i <= n, got "3\/2"/);
});
