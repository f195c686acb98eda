import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it, test } from "node:test";
import { criLogLines } from "../../src/cluster/kwok-config.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import type { KubeObject } from "../../src/kube/resources.ts";
import { Resources } from "../../src/kube/resources.ts";
import type { AssertLogsOperation, AssertPodPhaseOperation } from "../../src/model/index.ts";
import { judgeLog } from "../../src/ops/assert-logs/judge.ts";
import { runOperation, type OperationContext } from "../../src/ops/index.ts";
import { judgePhase } from "../../src/ops/pod-phase/exec.ts";
import { operationContext } from "../support/operation-context.ts";

describe("assertLogs' rule (re.findall's, as vk-test-set applies it)", () => {
  const log = "tick\ntick\nresult=done\nresult=ok\n";
  const cases: [RegExp, AssertLogsOperation["operator"], string | number | undefined, string][] = [
    [/tick/, "Exists", undefined, "holds"],
    [/tock/, "Exists", undefined, "pending"],
    [/tick/, "CountAtLeast", 2, "holds"],
    [/tick/, "CountAtLeast", "3", "pending"],
    [/tick/, "CountAtMost", 2, "holds"],
    [/tick/, "CountAtMost", 1, "violated"],
    [/tick/, "CountExactly", 2, "holds"],
    [/tick/, "CountExactly", 3, "pending"],
    [/tick/, "CountExactly", 1, "violated"],
    [/result=(\w+)/, "Is", "ok", "holds"],
    [/result=\w+/, "Is", "result=done", "holds"],
    [/result=(\w+)/, "Is", "nope", "pending"],
    // Two groups: findall gives tuples, which no string equals.
    [/(result)=(\w+)/, "Is", "done", "pending"],
  ];
  for (const [regex, operator, value, state] of cases)
    it(`${regex} ${operator} ${value ?? ""} → ${state}`, () => {
      assert.equal(judgeLog(log, regex, operator, value).state, state);
    });
});

describe("assertPodPhase's rule", () => {
  const pod = (phase: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    status: { phase },
  });
  it("fails at once on Failed unless Failed is expected", () => {
    assert.equal(judgePhase([pod("Failed")], "Succeeded", "wait").state, "failed");
    assert.equal(judgePhase([pod("Failed")], "Running", "wait").state, "failed");
    assert.equal(judgePhase([pod("Failed")], "Failed", "wait").state, "reached");
    assert.equal(judgePhase([pod("Running")], "Succeeded", "wait").state, "pending");
  });
  it("waits for a missing pod, or fails at once with missing: fail", () => {
    assert.equal(judgePhase([], "Running", "wait").state, "pending");
    assert.equal(judgePhase([], "Running", "fail").state, "failed");
  });
});

const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
const location = { file: "inline.yaml", line: 1, col: 1 };
const base = { location, bindings: [], outputs: [], template: true, continueOnError: false };

describe(
  "assertLogs on kwok pods whose logs grow",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no cluster") },
  () => {
    let client: KubeClient;
    let resources: Resources;
    let dir: string;
    const namespace = `assert-logs-${randomBytes(3).toString("hex")}`;

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
      resources = new Resources(client);
      dir = await mkdtemp(join(tmpdir(), "kp-logs-"));
      await resources.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
    });
    after(async () => {
      await resources.delete({ apiVersion: "v1", kind: "Namespace", name: namespace }).catch(() => {});
      client.close();
      await rm(dir, { recursive: true, force: true });
    });

    function context(timeoutMs: number): OperationContext {
      return operationContext({ resources, client, kubeconfig: kubeconfig!, namespace }, timeoutMs);
    }

    /** A running kwok pod that "logs" what its file holds; returns the file. */
    async function loggingPod(name: string, lines: string[], containers = ["main"]): Promise<string> {
      const file = join(dir, `${name}.log`);
      await writeFile(file, criLogLines(lines));
      await resources.create({
        apiVersion: "kwok.x-k8s.io/v1alpha1",
        kind: "Logs",
        metadata: { name, namespace },
        spec: { logs: [{ logsFile: file }] },
      });
      await resources.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace },
        spec: { containers: containers.map((c) => ({ name: c, image: "busybox" })) },
      });
      return file;
    }

    const logs = (name: string, fields: Partial<AssertLogsOperation>): AssertLogsOperation => ({
      ...base,
      type: "assertLogs",
      name,
      regex: "tick",
      operator: "Exists",
      ...fields,
    });

    test("passes once lines written after it started arrive on the stream", async () => {
      const file = await loggingPod("grows", ["tick"]);
      let settled = false;
      const running = runOperation(
        logs("grows", { operator: "CountAtLeast", value: 3 }),
        context(30_000),
      ).then((outcome) => {
        settled = true;
        return outcome;
      });
      // Not before the lines exist: the pod is watched and its log followed meanwhile.
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(settled, false);
      await appendFile(file, criLogLines(["tick", "tick"]));
      const outcome = await running;
      assert.equal(outcome.status, "passed", outcome.error?.message);
    });

    test("CountExactly fails at once when the log grows past the value", async () => {
      const file = await loggingPod("past", ["tick"]);
      const running = runOperation(logs("past", { operator: "CountExactly", value: 2 }), context(60_000));
      await new Promise((r) => setTimeout(r, 500));
      // One line with two matches: the count goes from 1 to 3 in one step. Two lines may arrive in
      // two chunks, and a count of exactly 2 between them rightly passes (a CI run saw that).
      await appendFile(file, criLogLines(["tick tick"]));
      const outcome = await running;
      assert.equal(outcome.status, "failed", outcome.error?.message);
      assert.match(outcome.error?.message ?? "", /found 3 times, expected exactly 2/);
    });

    test("a pod of several containers needs container:, and fails at once without it", async () => {
      await loggingPod("two", ["tick"], ["a", "b"]);
      const outcome = await runOperation(logs("two", {}), context(60_000));
      assert.equal(outcome.status, "failed");
      assert.match(outcome.error?.message ?? "", /has containers a, b: name one with container/);
      const named = await runOperation(logs("two", { container: "b" }), context(20_000));
      assert.equal(named.status, "passed", named.error?.message);
    });

    test("with missing: fail, a pod that is not there fails at once, as vk-test-set's upstream", async () => {
      const outcome = await runOperation(logs("nowhere", { missing: "fail" }), context(60_000));
      assert.equal(outcome.status, "failed");
      assert.match(outcome.error?.message ?? "", /nowhere: pod not found/);
    });

    test("assertPodPhase fails at once on a pod that exits non-zero", async () => {
      await resources.create({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "exits", namespace, annotations: { "kubeproof.dev/exit-code": "3" } },
        spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] },
      });
      const op: AssertPodPhaseOperation = {
        ...base,
        type: "assertPodPhase",
        name: "exits",
        phase: "Succeeded",
        missing: "wait",
      };
      const outcome = await runOperation(op, context(60_000));
      assert.equal(outcome.status, "failed");
      assert.match(outcome.error?.message ?? "", /phase Failed .*container main exited with 3/);
    });
  },
);
