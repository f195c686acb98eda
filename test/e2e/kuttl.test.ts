import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { findBinaries } from "../../src/cluster/install/index.ts";
import { normalize, runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));
const loadFixtures = fileURLToPath(new URL("../fixtures/load/", import.meta.url));

interface CtrfTest {
  name: string;
  status: string;
  extra: { steps: { name: string; operations: { type: string; phase: string; status: string }[] }[] };
}

async function report(dir: string): Promise<{ summary: Record<string, number>; tests: CtrfTest[] }> {
  const parsed = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as {
    results: { summary: Record<string, number>; tests: CtrfTest[] };
  };
  return parsed.results;
}

function operations(test: CtrfTest | undefined): string[] {
  assert.ok(test);
  return test.extra.steps.flatMap((s) =>
    s.operations.map((o) => `${s.name}:${o.phase}:${o.type}:${o.status}`),
  );
}

test("a kuttl suite runs unchanged: install, assert, errors, commands with $NAMESPACE, delete", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const binaries = await findBinaries();
  assert.ok(binaries?.kubectl, "cluster binaries are installed");
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    ["test", "kuttl", "--kubeconfig", kubeconfig, "--reporter", "line,json", "--report-dir", reportDir],
    // kubectl may not be on PATH: the suite's commands run it as $KUBECTL, as kuttl users often do.
    { cwd: fixtures, env: { KUBECTL: binaries.kubectl } },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const { summary, tests } = await report(reportDir);
  assert.equal(summary.passed, 2);
  assert.deepEqual(tests.map((x) => x.name).sort(), ["configmap", "deploy"]);
  assert.deepEqual(operations(tests.find((x) => x.name === "deploy")), [
    "00-install:try:apply:passed",
    "00-install:try:assert:passed",
    // The partial Deployment of 01-scale.yaml is merge-patched; its containers stay (asserted).
    "01-scale:try:apply:passed",
    "01-scale:try:assert:passed",
  ]);
  assert.deepEqual(operations(tests.find((x) => x.name === "configmap")), [
    "00-configmap:try:apply:passed",
    "00-configmap:try:assert:passed",
    "00-configmap:try:error:passed",
    "01-commands:try:script:passed",
    "01-commands:try:script:passed",
    "01-commands:try:script:passed",
    // exit 7 with ignoreFailure: reported, and the step goes on.
    "01-commands:try:script:failed",
    "01-commands:try:assert:passed",
    "01-commands:try:script:passed",
    "02-delete:try:delete:passed",
    "02-delete:try:delete:passed",
    "02-delete:try:error:passed",
  ]);
});

test("a kuttl assert that never holds fails at its timeout, pointing at the assert file", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    ["test", "kuttl-failing", "--kubeconfig", kubeconfig, "--reporter", "line", "--report-dir", reportDir],
    { cwd: fixtures },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const out = normalize(result.stdout);
  assert.match(out, /kuttl-failing\/wrong-data\/00-assert\.yaml:10:3/);
  assert.match(out, /-\s+mode: slow/);
  assert.match(out, /\+\s+mode: fast/);
  // A failing assert command is named as written, not by the retry loop it runs in.
  assert.match(out, /command "test -f \$NAMESPACE-never-created": timed out after <t>/);
  assert.doesNotMatch(out, /until/);
  // A kuttl CEL assertion that never holds names the expression, at its line.
  assert.match(out, /assertAll expression "size\(ca\.data\) == 0": evaluated to false \(waited <t>\)/);
  assert.match(out, /kuttl-failing\/cel-false\/00-assert\.yaml:12:5/);
});

test("kuttl CEL assertions (resourceRefs, assertAll, assertAny) hold as kuttl evaluates them", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    ["test", "kuttl-cel", "--kubeconfig", kubeconfig, "--reporter", "line,json", "--report-dir", reportDir],
    { cwd: fixtures },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const { tests } = await report(reportDir);
  assert.deepEqual(operations(tests[0]), ["00-install:try:apply:passed", "00-install:try:assert:passed"]);
});

test("kuttl files with mistakes exit 2 with file:line:col before anything runs", async () => {
  const result = await runCli(["test", "kuttl-invalid/typo", "kuttl-invalid/bad-command"], {
    cwd: loadFixtures,
  });
  assert.equal(result.code, 2, result.stdout + result.stderr);
  assert.match(
    result.stderr,
    /kuttl-invalid\/typo\/00-step\.yaml:3:1: unknown field "comands" .*; did you mean "commands"\?/,
  );
  assert.match(
    result.stderr,
    /kuttl-invalid\/bad-command\/00-step\.yaml:4:5: commands\[0\]\.command: the command line has a quote that is never closed/,
  );
});
