import assert from "node:assert/strict";
import { access, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { normalize, runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

test("a failing assertion: exit 1, the diff and the failing key's file:line:col, artifacts, every reporter", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    [
      "test",
      "failing",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "list,junit,json,github",
      "--report-dir",
      reportDir,
      "--workers",
      "1",
    ],
    {
      cwd: fixtures,
      env: { GITHUB_ACTIONS: "" },
    },
  );
  assert.equal(result.code, 1, result.stderr);
  const out = normalize(result.stdout);
  const artifacts = join(reportDir, "artifacts");
  const [dir] = await readdir(artifacts);
  assert.ok(dir, "an artifacts folder for the failed test");
  const lines = out.split("\n");
  assert.match(lines[0], /^Running 2 tests using 1 worker against context "kubeproof-test-\d+"/);
  const failureBlock = out.slice(
    out.indexOf("1) failing/chainsaw-test.yaml:1 › wrong-replicas"),
    out.indexOf("namespace:"),
  );
  assert.equal(
    failureBlock,
    [
      "1) failing/chainsaw-test.yaml:1 › wrong-replicas",
      "",
      "    step deploy › assert at failing/chainsaw-test.yaml:28:11",
      "    on Deployment <ns>/web",
      "",
      "    Deployment <ns>/web did not match within <t>: status.readyReplicas: Invalid value: 1: Expected value: 3",
      "      at failing/chainsaw-test.yaml:35:17",
      "",
      "      --- expected",
      "      +++ actual",
      "      @@ -3,4 +3,4 @@",
      "       metadata:",
      "         name: web",
      "       status:",
      "      -  readyReplicas: 3",
      "      +  readyReplicas: 1",
      "",
      "    ",
    ].join("\n"),
  );
  assert.match(out, new RegExp(`artifacts: ${join(artifacts, dir).replaceAll("/", "\\/")}`));
  assert.match(out, /1 passed, 1 failed/);

  // Artifacts: the failure, the involved objects, the namespace's events and its pods' logs.
  const folder = join(artifacts, dir);
  assert.match(
    await readFile(join(folder, "failure.txt"), "utf8"),
    /^failing\/chainsaw-test\.yaml:35:17: Deployment .* did not match/,
  );
  const objects = await readdir(join(folder, "objects"));
  assert.ok(
    objects.some((f) => f.startsWith("Deployment-")) && objects.some((f) => f.startsWith("Pod-")),
    objects.join(", "),
  );
  assert.match(await readFile(join(folder, "events.txt"), "utf8"), /ScalingReplicaSet/);
  assert.equal((await readdir(join(folder, "logs"))).length, 1);

  // File reporters.
  const junit = await readFile(join(reportDir, "junit.xml"), "utf8");
  assert.match(junit, /<testsuites name="kubeproof" tests="2" failures="1" skipped="0" errors="0"/);
  assert.match(junit, /<failure message="Deployment [^"]*did not match/);
  const json = JSON.parse(await readFile(join(reportDir, "report.json"), "utf8"));
  assert.deepEqual(
    {
      tests: json.results.summary.tests,
      passed: json.results.summary.passed,
      failed: json.results.summary.failed,
    },
    { tests: 2, passed: 1, failed: 1 },
  );
  const failed = json.results.tests.find((x: { status: string }) => x.status === "failed");
  assert.equal(failed.filePath, "failing/chainsaw-test.yaml");
  assert.equal(failed.line, 1, "CTRF's line is where the test is defined");
  assert.equal(failed.extra.failureLocation, "failing/chainsaw-test.yaml:35:17");
  // GitHub annotations point at the failing key.
  assert.match(
    result.stdout,
    /^::error file=failing\/chainsaw-test\.yaml,line=35,col=17,title=failing\/chainsaw-test\.yaml%3A%3Awrong-replicas::wrong-replicas/m,
  );
});

test("bad input: exit 2 with file:line:col, what was expected and a hint; nothing applied", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const result = await runCli(["test", "invalid", "--kubeconfig", kubeconfig], { cwd: fixtures });
  assert.equal(result.code, 2);
  assert.equal(
    result.stderr,
    'invalid/chainsaw-test.yaml:15:13: spec.steps[0].try[1].assert: unknown field "fle" — expected one of file, resource, template, timeout, bindings, cluster, clusters; did you mean "file"?\n' +
      "\n1 problem(s) found; nothing was run. Fix them and run again.\n",
  );
  assert.equal(result.stdout, "");
  // The valid apply before the bad operation never ran: no namespace of this test exists.
  const client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
  try {
    const namespaces = await client.request<{ items: { metadata: { name: string } }[] }>(
      "GET",
      "/api/v1/namespaces",
    );
    assert.deepEqual(
      namespaces.items.filter((n) => n.metadata.name.startsWith("kp-invalid-")),
      [],
    );
  } finally {
    client.close();
  }
});

test("an unknown reporter is a usage error, and nothing is written", async () => {
  const reportDir = join(await mkdtemp(join(tmpdir(), "kp-report-")), "never");
  const reporter = await runCli(
    ["test", "selection", "--reporter", "fancy", "--report-dir", reportDir, "--kubeconfig", "/nonexistent"],
    {
      cwd: fixtures,
    },
  );
  assert.equal(reporter.code, 2);
  assert.match(reporter.stderr, /unknown reporter "fancy"/);
  await assert.rejects(access(reportDir), "no report directory was created");
});

test("a templating error names the failing node's file:line:col", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = await mkdtemp(join(tmpdir(), "kp-report-"));
  const result = await runCli(
    ["test", "template-error", "--kubeconfig", kubeconfig, "--reporter", "line", "--report-dir", reportDir],
    {
      cwd: fixtures,
    },
  );
  assert.equal(result.code, 1);
  assert.match(
    result.stdout,
    /templating failed: data\.owner: failed to evaluate JMESPath expression "\$missing\.field": binding \$missing is not defined\n\s+at template-error\/chainsaw-test\.yaml:15:17/,
  );
});

test("cluster choice mistakes are usage errors and start nothing", async () => {
  const missing = await runCli(["test", "selection", "--kubeconfig", "/nonexistent/kubeconfig"], {
    cwd: fixtures,
  });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--kubeconfig \/nonexistent\/kubeconfig: no such file/);
  const both = await runCli(["test", "selection", "--cluster", "local", "--context", "x"], { cwd: fixtures });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--cluster local starts its own cluster/);
  const dir = await mkdtemp(join(tmpdir(), "kp-kubeconfig-"));
  const file = join(dir, "kubeconfig");
  await writeFile(
    file,
    "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:9'}}]\ncontexts: [{name: c, context: {cluster: c}}]\ncurrent-context: c\n",
  );
  const context = await runCli(["test", "selection", "--kubeconfig", file, "--context", "nope"], {
    cwd: fixtures,
  });
  assert.equal(context.code, 2);
  assert.match(context.stderr, /context "nope" not found in .* \(contexts: c\)/);
  const unreachable = await runCli(["test", "selection", "--kubeconfig", file], { cwd: fixtures });
  assert.equal(unreachable.code, 1);
  assert.match(
    unreachable.stderr,
    /cannot reach the cluster of context "c" at https:\/\/127\.0\.0\.1:9: .*connection refused/,
  );
});
