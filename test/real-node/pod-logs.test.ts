import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { clusterDir } from "../../src/cluster/paths.ts";
import { busybox, RealNamespace, realNodeSkip } from "../support/real-node.ts";

describe("pod logs on a real node", { skip: realNodeSkip }, () => {
  const ns = new RealNamespace();
  before(() => ns.open());
  after(() => ns.close());

  test("live in the node's own folder, not in the host's /var/log/pods that other clusters' kubelets clean", async () => {
    await ns.createPod("logger", busybox(["echo", "hello"]));
    const pod = await ns.finished("logger");
    assert.equal(await ns.log("logger"), "hello\n");
    const folder = `${ns.name}_logger_${pod.metadata.uid}`;
    const node = join(clusterDir(process.env.KUBEPROOF_TEST_REAL_CLUSTER!), "real-node-0");
    assert.ok(existsSync(join(node, "pod-logs", folder, "main", "0.log")));
    assert.equal(existsSync(join("/var/log/pods", folder)), false);
  });
});
