/**
 * Chainsaw behaviours found missing by running Chainsaw's own example tests, each pinned by a fixture
 * of ours (test/fixtures/e2e/compat-*), against the real local cluster.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli, type CliResult } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

interface CtrfOperation {
  type: string;
  phase: string;
  status: string;
}
interface CtrfTest {
  name: string;
  status: string;
  extra: { steps: { name: string; operations: CtrfOperation[] }[] };
}

async function run(
  t: TestContext,
  fixture: string,
  extra: string[] = [],
): Promise<{ result: CliResult; tests: CtrfTest[] } | undefined> {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return undefined;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const reporting = ["--reporter", "line,json", "--report-dir", reportDir];
  const result = await runCli(["test", fixture, "--kubeconfig", kubeconfig, ...reporting, ...extra], {
    cwd: fixtures,
  });
  const report = JSON.parse(await readFile(join(reportDir, "report.json"), "utf8")) as {
    results: { tests: CtrfTest[] };
  };
  return { result, tests: report.results.tests };
}

function operations(test: CtrfTest | undefined): string[] {
  return (test?.extra.steps ?? []).flatMap((s) =>
    s.operations.map((o) => `${s.name}:${o.phase}:${o.type}:${o.status}`),
  );
}

test("assertions naming no resource check bindings, outputs and the cluster functions", async (t) => {
  const ran = await run(t, "compat-bare");
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), [
    "bindings:try:assert:passed",
    "bindings:try:error:passed",
    "bindings:try:script:passed",
    "bindings:try:assert:passed",
    "cluster-functions:try:create:passed",
    "cluster-functions:try:assert:passed",
    "metrics:try:assert:passed",
  ]);
});

test("a bare assertion that never holds fails at its timeout, pointing at the failing key", async (t) => {
  const ran = await run(t, "compat-bare-failing");
  if (!ran) return;
  assert.equal(ran.result.code, 1, ran.result.stdout + ran.result.stderr);
  assert.match(
    ran.result.stdout,
    /the assertion did not hold within 1s: \(\$size\): Invalid value: 3: Expected value: 4\n\s+at compat-bare-failing\/chainsaw-test\.yaml:15:15/,
  );
});

test("apply merges like Chainsaw, validates strictly, binds $warnings and ids, waits for new kinds", async (t) => {
  const ran = await run(t, "compat-apply");
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), [
    "merge:try:apply:passed",
    "merge:try:apply:passed",
    "merge:try:assert:passed",
    "strict:try:apply:passed",
    "ids:try:script:passed",
    "ids:try:apply:passed",
    "ids:try:assert:passed",
    "crd:try:apply:passed",
    "crd:try:create:passed",
    "crd:try:create:passed",
  ]);
});

test("command arguments expand $VARIABLES, and a check decides a process that timed out", async (t) => {
  const ran = await run(t, "compat-process");
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), ["step-1:try:command:passed", "step-1:try:script:passed"]);
});

test("a name in namespaceTemplate names the test namespace", async (t) => {
  const ran = await run(t, "compat-namespace-template");
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), ["step-1:try:assert:passed", "step-1:try:assert:passed"]);
});

test("fields of real suites run: wait.for.creation, env names as expressions, a binding named namespace", async (t) => {
  const ran = await run(t, "compat-fields");
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), [
    "wait-for-creation:try:apply:passed",
    "wait-for-creation:try:wait:passed",
    "namespace-binding:try:script:passed",
  ]);
  assert.match(
    ran.result.stdout,
    /warning: compat-fields\/chainsaw-test\.yaml:15:7: duplicate key "value": this value replaces the one at line 14/,
  );
});

test("step templates run as the step: template bindings are defaults, with.bindings override them", async (t) => {
  const ran = await run(t, "compat-step-template");
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), [
    "defaults:try:create:passed",
    "defaults:try:apply:passed",
    "defaults:finally:script:passed",
    "with-bindings:try:create:passed",
    "with-bindings:try:apply:passed",
    "with-bindings:finally:script:passed",
    "check:try:assert:passed",
    "check:try:assert:passed",
    "check:try:assert:passed",
  ]);
});

test("CEL expressions run under compiler: cel, next to JMESPath ones", async (t) => {
  const ran = await run(t, "compat-cel");
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), [
    "step-1:try:apply:passed",
    "step-1:try:assert:passed",
    "step-1:try:assert:passed",
  ]);
});

test("the configuration's compiler: cel applies to every expression that names no language", async (t) => {
  const ran = await run(t, "compat-cel-config", ["--config", "compat-cel-config/chainsaw.yaml"]);
  if (!ran) return;
  assert.equal(ran.result.code, 0, ran.result.stdout + ran.result.stderr);
  assert.deepEqual(operations(ran.tests[0]), ["step-1:try:assert:passed"]);
});
