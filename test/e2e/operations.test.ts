import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));

interface CtrfTest {
  name: string;
  status: string;
  extra: { steps: { name: string; operations: { type: string; phase: string; status: string }[] }[] };
}
async function report(
  dir: string,
): Promise<{ results: { summary: Record<string, number>; tests: CtrfTest[] } }> {
  return JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as {
    results: { summary: Record<string, number>; tests: CtrfTest[] };
  };
}

test("every operation runs against the local cluster and is reported per step", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    ["test", "all-ops", "--kubeconfig", kubeconfig, "--reporter", "line,json", "--report-dir", reportDir],
    { cwd: fixtures },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const { results } = await report(reportDir);
  assert.equal(results.summary.passed, 1);
  const operations = results.tests[0].extra.steps.flatMap((s) =>
    s.operations.map((o) => `${s.name}:${o.phase}:${o.type}:${o.status}`),
  );
  assert.deepEqual(operations, [
    "write:try:create:passed",
    "write:try:apply:passed",
    "write:try:update:passed",
    "write:try:patch:passed",
    "write:try:assert:passed",
    "write:try:assert:passed",
    "workloads:try:apply:passed",
    "workloads:try:wait:passed",
    "workloads:try:wait:passed",
    "workloads:try:get:passed",
    "workloads:try:describe:passed",
    "workloads:try:events:passed",
    "workloads:try:podLogs:passed",
    "remove:try:delete:passed",
    "remove:try:error:passed",
    // The ConfigMap is never deleted: the wait times out, and continueOnError keeps the step going.
    "remove:try:wait:failed",
    "remove:try:sleep:passed",
    "remove:try:script:passed",
    "remove:try:command:passed",
    "remove:finally:script:passed",
  ]);
});

test("list matching in any order, and the consistently / never modes", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    ["test", "modes", "--kubeconfig", kubeconfig, "--reporter", "json", "--report-dir", reportDir],
    { cwd: fixtures },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.equal((await report(reportDir)).results.summary.passed, 1);
});

test("the examples a new user reads all pass", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    // inference-gateway needs a real node and the stand-in server's image: test/real-node/probes.test.ts runs it.
    [
      "test",
      "examples",
      "--grep-invert",
      "inference-gateway",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line,json",
      "--report-dir",
      reportDir,
    ],
    { cwd: root },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const { results } = await report(reportDir);
  assert.deepEqual(results.tests.map((t) => [t.name, t.status]).sort(), [
    ["configmap-secret", "passed"],
    ["deployment-rollout", "passed"],
    ["expected-error", "passed"],
    ["script-step", "passed"],
  ]);
  assert.match(
    result.stdout.split("\n")[0],
    /^Running 4 tests using \d workers? against context "kubeproof-test-\d+" \(https:\/\/127\.0\.0\.1:\d+\)$/,
  );
});

test("Chainsaw's documented assertion forms hold against real objects", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    [
      "test",
      "chainsaw-examples",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line",
      "--report-dir",
      reportDir,
    ],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
});

test("an assertion that cannot be evaluated fails on its first evaluation, naming the key", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    [
      "test",
      "broken-assert",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line,json",
      "--report-dir",
      reportDir,
    ],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 1);
  assert.match(
    result.stdout,
    /the assertion cannot be evaluated: data\.\(a == \$undefined\): .*binding \$undefined is not defined\n\s+at broken-assert\/chainsaw-test\.yaml:24:17/,
  );
  const { results } = await report(reportDir);
  const assertOp = results.tests[0].extra.steps[0].operations.find((o) => o.type === "assert") as {
    evaluations?: number;
  };
  assert.equal(assertOp.evaluations, 1, "no waiting for the timeout");
});

test("a script's background process serves the later steps of its test and is stopped at its end", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const dir = await mkdtemp(join(tmpdir(), "kp-background-"));
  const pidFile = join(dir, "background.pid");
  const result = await runCli(
    ["test", "background", "--kubeconfig", kubeconfig, "--workers", "1", "--report-dir", dir],
    { cwd: fixtures, env: { KP_BACKGROUND_PID_FILE: pidFile } },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /2 passed/);
  const pid = Number(await readFile(pidFile, "utf8"));
  assert.ok(pid > 0);
  assert.ok(!runs(pid), `the background process ${pid} still runs after the run`);
});

/** Whether a process runs (an exited one that nobody reaped, a zombie, runs no code). */
function runs(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

test("a delete held by a finalizer times out naming what is left, in the one duration format", async (t) => {
  // The fixture's check on $error passes only with `still present after 1s: ConfigMap <ns>/held
  // (finalizers: example.com/hold)`.
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const result = await runCli(["test", "delete-timeout", "--kubeconfig", kubeconfig, "--reporter", "line"], {
    cwd: fixtures,
  });
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /1 passed/);
  assert.doesNotMatch(
    result.stdout + result.stderr,
    /cleanup:/,
    "the patch released it, so cleanup had nothing left",
  );
});
