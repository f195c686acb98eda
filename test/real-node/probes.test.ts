import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { runCli } from "../support/cli.ts";
import { loadModelServer } from "../../tools/model-server/load.ts";
import { realKubeconfig, realNodeSkip } from "../support/real-node.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixtures = fileURLToPath(new URL("../fixtures/real-node/probes/", import.meta.url));

function run(args: string[], cwd = fixtures) {
  return runCli(["test", ...args, "--kubeconfig", realKubeconfig!, "--reporter", "list"], { cwd });
}

describe("in-cluster probes on a real node", { skip: realNodeSkip }, () => {
  before(() => loadModelServer(process.env.KUBEPROOF_TEST_REAL_CLUSTER!));

  test("examples/inference-gateway passes: batch with retries, table, concurrency, metrics, rollout", async () => {
    const result = await run(["examples/inference-gateway"], root);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1 passed/);
  });

  test("every option of http, metrics and exec passes against the stand-in server", async () => {
    const result = await run(["passing"]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1 passed/);
  });

  test("each probe's failure shows the request (secrets masked), the response, the diff and file:line:col", async () => {
    const result = await run(["failing"]);
    const out = result.stdout;
    assert.equal(result.code, 1, out + result.stderr);
    assert.match(out, /7 failed/);
    // A single response: the request via the client pod with its token masked, the response, the diff.
    assert.match(out, /http: the response failed: status: Invalid value: 200: Expected value: 201/);
    assert.match(
      out,
      /request: GET http:\/\/[\d.]+:9090\/metrics \(pod kp-fail-single-\w+\/model-server-[\w-]+\) via pod\n\s+Authorization: Bearer \*\*\*\n/,
    );
    assert.doesNotMatch(out, /Bearer ey/);
    assert.match(out, /response: 200 in [\d.]+ms\n\s+content-type: text\/plain; version=0\.0\.4/);
    assert.match(out, /-status: 201\n\s+\+status: 200/);
    assert.match(out, /failing\/kubeproof-test\.yaml:26:13/);
    // A batch: which request failed first, and the summary of distinct errors.
    assert.match(
      out,
      /http: request #\d of 4 failed: headers\.x-inference-port: Invalid value: "8001": Expected value: "8000"/,
    );
    assert.match(out, /2 of 4 requests failed; distinct errors:\n\s+2× headers\.x-inference-port/);
    // The batch check.
    assert.match(
      out,
      /http: the batch check failed: count: Invalid value: 2: Expected value: 3\n.*\n\s+batch: 2 responses, statuses 200×2/,
    );
    // No answer: the transport error, not a status.
    assert.match(out, /no answer: nc: can't connect to remote host \([\d.]+\): Connection refused/);
    // A table row fails on its own, named by its row.
    assert.match(out, /step rows \[bad\] › http/);
    assert.doesNotMatch(out, /step rows \[good\]/);
    // Metrics: the series that matched none, and the ones of that name that are there.
    assert.match(
      out,
      /model_server_info\{model="other"\}: 0 series match, expected at least 1; present: model_server_info\{model="base",pod="model-server-[\w-]+"\}/,
    );
    assert.match(out, /failing\/kubeproof-test\.yaml:162:17/);
    // exec without check: the exit status and the end of stderr.
    assert.match(
      out,
      /exec in kp-fail-exec-\w+\/model-server-[\w-]+ \(server\): \/model-server --no-such-flag: exit status 2/,
    );
    assert.match(out, /flag provided but not defined: -no-such-flag/);
  });

  test("the client pod is deleted with the test's objects", async () => {
    const client = new KubeClient(await loadKubeconfig({ path: realKubeconfig }));
    const namespace = "kubeproof-probes-cleanup";
    try {
      await client.request("POST", "/api/v1/namespaces", { body: { metadata: { name: namespace } } });
      const result = await run(["cleanup"]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const pods = await client.request<{
        items: { metadata: { name: string; deletionTimestamp?: string } }[];
      }>("GET", `/api/v1/namespaces/${namespace}/pods`);
      const left = pods.items
        .filter((p) => p.metadata.deletionTimestamp === undefined)
        .map((p) => p.metadata.name);
      assert.deepEqual(left, []);
    } finally {
      await client.request("DELETE", `/api/v1/namespaces/${namespace}`).catch(() => {});
      client.close();
    }
  });
});
