import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";

const chainsawTest = `apiVersion: chainsaw.kyverno.io/v1alpha1
kind: Test
metadata:
  name: remarshal
spec:
  steps:
    - try:
        - sleep:
            duration: 1s
`;

// Chainsaw's own Makefile runs its examples with --remarshal: the same command line must load here.
test("--remarshal is accepted, as Chainsaw's CI passes it", async () => {
  const root = mkdtempSync(join(tmpdir(), "kp-remarshal-"));
  mkdirSync(join(root, "remarshal"));
  writeFileSync(join(root, "remarshal", "chainsaw-test.yaml"), chainsawTest);
  const result = await runCli(["test", "remarshal", "--remarshal", "--list"], { cwd: root });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /remarshal\/chainsaw-test\.yaml::remarshal/);
  assert.match(result.stdout, /1 test\(s\)/);
});
