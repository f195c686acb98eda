import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";
import { realKubeconfig, realNodeSkip } from "../support/real-node.ts";

const fixtures = fileURLToPath(new URL("../fixtures/real-node/", import.meta.url));

describe("one Chainsaw test on a real node and on a kwok node", { skip: realNodeSkip }, () => {
  test("a Job's test passes where its pod really runs and where kwok simulates it", async (t) => {
    const kwokOnly = sharedKubeconfig(t);
    if (!kwokOnly) return;
    for (const [where, kubeconfig] of [
      ["real node", realKubeconfig!],
      ["kwok node", kwokOnly],
    ] as const) {
      const result = await runCli(["test", "job-runs", "--kubeconfig", kubeconfig, "--reporter", "line"], {
        cwd: fixtures,
      });
      assert.equal(result.code, 0, `${where}:\n${result.stdout}${result.stderr}`);
      assert.match(result.stdout, /1 passed/, where);
    }
  });
});

describe("a pod whose image the real node lacks", { skip: realNodeSkip }, () => {
  test("fails with a hint that names the image and `kubeproof cluster load`", async () => {
    const result = await runCli(
      ["test", "image-not-loaded", "--kubeconfig", realKubeconfig!, "--reporter", "list"],
      { cwd: fixtures },
    );
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      /hint: pod web cannot get image "example\.invalid\/not-loaded:1" \((ErrImagePull|ImagePullBackOff)\): .*kubeproof cluster load/,
    );
  });
});
