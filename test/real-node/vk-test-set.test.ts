import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.ts";
import { realKubeconfig, RealNamespace, realNodeSkip } from "../support/real-node.ts";

const fixture = fileURLToPath(new URL("../fixtures/real-node/vk-test-set/", import.meta.url));

describe("a vk-test-set suite whose pods really run", { skip: realNodeSkip }, () => {
  const ns = new RealNamespace();
  let dir: string;
  before(async () => {
    await ns.open();
    dir = await mkdtemp(join(tmpdir(), "kp-vk-real-"));
    await cp(fixture, dir, { recursive: true });
    const files = [
      join(dir, "vktest_config.yaml"),
      ...(await readdir(join(dir, "templates"))).map((f) => join(dir, "templates", f)),
    ];
    for (const file of files)
      await writeFile(file, (await readFile(file, "utf8")).replaceAll("@NAMESPACE@", ns.name));
  });
  after(async () => {
    await ns.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("gives upstream's verdicts: logs, a growing log, volumes, an init container, a failing pod", async () => {
    const junit = join(dir, "junit.xml");
    const result = await runCli(
      ["test", ".", "--kubeconfig", realKubeconfig!, "--reporter", `list,junit=${junit}`],
      {
        cwd: dir,
      },
    );
    assert.equal(result.code, 1, result.stdout + result.stderr);
    const report = await readFile(junit, "utf8");
    const verdict = (name: string): string => {
      const m = new RegExp(
        `<testcase name="${name.replace(/[[\].]/g, "\\$&")}" classname="vktestset.basic_test"[^>]*>([\\s\\S]*?)</testcase>`,
      ).exec(report);
      assert.ok(m, `${name} in the JUnit report`);
      return /<failure/.test(m[1] ?? "") ? "failed" : "passed";
    };
    const manifest = (file: string): string => `test_manifest[real-node-0-${file}.yaml]`;
    assert.deepEqual(
      ["000-hello-world", "010-growing-log", "020-config-volume", "030-failing", "040-init-container"].map(
        (f) => verdict(manifest(f)),
      ),
      ["passed", "passed", "passed", "failed", "failed"],
    );
    assert.equal(verdict("test_node_exists[real-node-0]"), "passed");
    assert.match(result.stdout, /phase Failed \(.*container main exited with 3.*\), expected Succeeded/);
    assert.match(result.stdout, /\/\[A-Z\]\+\/ found 2 times, expected at most 1/);
    const pods = await ns.client.request<{
      items: { metadata: { labels: Record<string, string>; deletionTimestamp?: string } }[];
    }>("GET", ns.path("pods"));
    // clean_configs, as upstream, does not wait for the kubelet to tear a deleted pod down.
    const left = pods.items
      .filter((p) => p.metadata.deletionTimestamp === undefined)
      .map((p) => p.metadata.labels["vk-case"])
      .sort();
    // never keeps the failed pod; onSuccess, always and onFailure deleted theirs.
    assert.deepEqual(left, ["failing"]);
  });
});
