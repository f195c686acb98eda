import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { binDirFor } from "../support/binaries.ts";
import { runCli } from "../support/cli.ts";
import { tempProject } from "../support/project.ts";

// A test that expects the single node of kind's default cluster (and of Chainsaw's own CI).
const oneNode = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: one-node
spec:
  steps:
    - try:
        - assert:
            resource: { apiVersion: v1, kind: Node, metadata: { name: kwok-node-0 } }
        - error:
            resource: { apiVersion: v1, kind: Node, metadata: { name: kwok-node-1 } }
`;

test("kubeproof test starts its own local cluster with one node, as kind and Chainsaw's CI have", async (t) => {
  const binDir = await binDirFor(t);
  if (!binDir) return;
  const home = await mkdtemp(join(tmpdir(), "kp-home-"));
  const env = { KUBEPROOF_HOME: home, KUBEPROOF_BIN_DIR: binDir };
  t.after(() => runCli(["cluster", "down", "--all"], { env }));
  const root = tempProject({ "one-node/chainsaw-test.yaml": oneNode });
  const result = await runCli(
    ["test", "one-node", "--cluster", "local", "--reporter", "line", "--report-dir", join(root, "report")],
    { cwd: root, env },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
});
