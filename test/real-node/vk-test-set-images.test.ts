import assert from "node:assert/strict";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { standIns } from "../../bench/vk-stand-ins.ts";
import { writeHostImages } from "../../src/cluster/providers/real/host-image.ts";
import { runCli } from "../support/cli.ts";
import { realKubeconfig, RealNamespace, realNodeSkip } from "../support/real-node.ts";

const fixture = fileURLToPath(new URL("../fixtures/real-node/vk-test-set-images/", import.meta.url));
/** The upstream image names the fixture's templates pull (short names, as upstream writes them). */
const NAMES = ["docker.io/library/python:alpine", "ghcr.io/grycap/cowsay:latest"];

describe(
  "vk-test-set templates whose images are stand-ins pulled through the node's mirror",
  { skip: realNodeSkip },
  () => {
    const ns = new RealNamespace();
    let dir: string;
    before(async () => {
      await ns.open();
      dir = await mkdtemp(join(tmpdir(), "kp-vk-images-"));
      await cp(fixture, join(dir, "suite"), { recursive: true });
      const files = [
        join(dir, "suite", "vktest_config.yaml"),
        ...(await readdir(join(dir, "suite", "templates"))).map((f) => join(dir, "suite", "templates", f)),
      ];
      for (const file of files)
        await writeFile(file, (await readFile(file, "utf8")).replaceAll("@NAMESPACE@", ns.name));
      const { images } = await standIns();
      const archive = join(dir, "stand-ins.tar");
      await writeHostImages(
        archive,
        images.filter((s) => s.recipe.refs.some((r) => NAMES.includes(r))).map((s) => s.recipe),
      );
      const load = await runCli([
        "cluster",
        "load",
        archive,
        "--name",
        process.env.KUBEPROOF_TEST_REAL_CLUSTER!,
      ]);
      assert.equal(load.code, 0, load.stderr);
    });
    after(async () => {
      await ns.close();
      await rm(dir, { recursive: true, force: true });
    });

    test("runs them as upstream would: python passes, the failing bash script fails", async () => {
      const junit = join(dir, "junit.xml");
      const result = await runCli(
        ["test", ".", "--kubeconfig", realKubeconfig!, "--reporter", `list,junit=${junit}`],
        { cwd: join(dir, "suite") },
      );
      assert.equal(result.code, 1, result.stdout + result.stderr);
      const report = await readFile(junit, "utf8");
      const verdict = (file: string): string => {
        const name = `test_manifest[real-node-0-${file}.yaml]`.replace(/[[\].]/g, "\\$&");
        const m = new RegExp(`<testcase name="${name}"[^>]*>([\\s\\S]*?)</testcase>`).exec(report);
        assert.ok(m, `${file} in the JUnit report:\n${report}`);
        return /<failure/.test(m[1] ?? "") ? "failed" : "passed";
      };
      assert.deepEqual(
        ["000-python-env", "010-bash-fails"].map(verdict),
        ["passed", "failed"],
        result.stdout,
      );
      // The stand-in's bash really ran: the failing pod's log, kept by its onSuccess clean-up, says so.
      const pods = await ns.client.request<{ items: { metadata: { name: string } }[] }>(
        "GET",
        ns.path("pods"),
      );
      const failed = pods.items.find((p) => p.metadata.name.startsWith("bash-fails-"));
      assert.ok(failed, "the failing pod is kept");
      assert.match(await ns.log(failed.metadata.name, "main"), /^bash 5 here$/m);
      assert.match(result.stdout, /phase Failed \(.*exited with 3.*\), expected Succeeded/);
    });
  },
);
