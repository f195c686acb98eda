import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { defaultConfig } from "../../src/config/config-schema.ts";
import { KubeClient } from "../../src/kube/client.ts";
import { loadKubeconfig } from "../../src/kube/kubeconfig.ts";
import { Resources } from "../../src/kube/resources.ts";
import type { ScriptOperation, SetupCommand, SourceDocument, SuiteSetup } from "../../src/model/index.ts";
import { formatLocation } from "../../src/model/index.ts";
import { Reporters } from "../../src/report/reporter.ts";
import type { RunEnvironment } from "../../src/run/execute-test.ts";
import { runSuiteSetup } from "../../src/run/suite-setup.ts";
import { ClusterConnections } from "../../src/run/clusters.ts";

const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
const at = (line: number) => ({ file: "setup.yaml", line, col: 1 });
const doc = (value: unknown, line: number): SourceDocument => ({
  value,
  location: at(line),
  locate: () => at(line),
});

function script(content: string, line: number, extra: Partial<ScriptOperation> = {}): ScriptOperation {
  return {
    type: "script",
    content,
    location: at(line),
    bindings: [],
    outputs: [],
    template: false,
    continueOnError: false,
    env: [],
    skipLogOutput: false,
    ...extra,
  };
}

function crd(group: string, plural: string, kind: string, line: number): SourceDocument {
  return doc(
    {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${plural}.${group}` },
      spec: {
        group,
        names: { kind, plural },
        scope: "Namespaced",
        versions: [
          { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } },
        ],
      },
    },
    line,
  );
}

describe(
  "suite set-up against the cluster",
  { skip: kubeconfig ? false : (process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no cluster") },
  () => {
    let client: KubeClient;
    let resources: Resources;
    const group = `setup-${randomBytes(3).toString("hex")}.kubeproof.test`;
    const messages: string[] = [];

    before(async () => {
      client = new KubeClient(await loadKubeconfig({ path: kubeconfig }));
      resources = new Resources(client);
    });
    after(async () => {
      for (const plural of ["things", "others"]) {
        await resources
          .delete({
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            name: `${plural}.${group}`,
          })
          .catch(() => []);
      }
      client.close();
    });

    function run(setup: Partial<SuiteSetup>): ReturnType<typeof runSuiteSetup> {
      messages.length = 0;
      const full: SuiteSetup = {
        location: at(1),
        crds: [],
        manifests: [],
        commands: [],
        namespace: "default",
        baseDir: tmpdir(),
        applyTimeoutMs: 30_000,
        establishTimeoutMs: 30_000,
        notes: [],
        ...setup,
      };
      const env: RunEnvironment = {
        resources,
        client,
        kubeconfig: kubeconfig ?? "",
        toolPath: [],
        config: { ...defaultConfig(), setup: full },
        runId: "setup-test",
        artifactsDir: tmpdir(),
        timeoutMultiplier: 1,
        skipDelete: false,
        values: {},
        interrupt: new AbortController().signal,
        reporter: new Reporters([
          {
            onInfo: (m) => messages.push(`info: ${m}`),
            onError: (e) =>
              messages.push(`error: ${e.location ? `${formatLocation(e.location)}: ` : ""}${e.message}`),
          },
        ]),
        pendingCleanup: [],
        sharedNamespaces: new Map(),
        clusters: new ClusterConnections(),
      };
      return runSuiteSetup([], env);
    }

    test("a CRD that is never Established fails the set-up with the wait's message", async () => {
      // Same group and kind as a CRD already Established: the API server refuses the names.
      const first = await run({ crds: [crd(group, "things", "Thing", 2)] });
      assert.equal(first.failedResult(), undefined, messages.join("\n"));
      const clash = await run({ crds: [crd(group, "others", "Thing", 3)], establishTimeoutMs: 2_000 });
      const error = clash.failedResult()?.attempts[0]?.error;
      assert.ok(error, "the set-up failed");
      assert.match(
        error.message,
        new RegExp(
          `^set-up of setup\\.yaml:1:1 failed: wait for condition Established=True on CustomResourceDefinition others\\.${group.replaceAll(".", "\\.")} timed out`,
        ),
      );
      assert.deepEqual(error.location, at(3));
      assert.equal(clash.failedResult()?.status, "failed");
    });

    test("commands run in order: an ignored failure is reported, a background one runs until stop", async () => {
      const dir = await mkdtemp(join(tmpdir(), "kp-setup-run-"));
      const commands: SetupCommand[] = [
        { operation: script("exit 5", 4, { continueOnError: true }), background: false },
        {
          operation: script('echo $$ > bg.pid; echo "$NAMESPACE" > ns; exec sleep 600', 5),
          background: true,
        },
        // After the background command has started: it waits for what that one writes.
        {
          operation: script("until test -s bg.pid; do sleep 0.1; done", 6, { timeoutMs: 30_000 }),
          background: false,
        },
      ];
      const setup = await run({ commands, baseDir: dir });
      assert.equal(setup.failedResult(), undefined, messages.join("\n"));
      assert.deepEqual(messages, [
        "info: set-up (setup.yaml:1:1): 3 commands",
        'info: set-up: script "exit 5": exit status 5 (ignored, as the command asks)',
      ]);
      const pid = Number.parseInt(await readFile(join(dir, "bg.pid"), "utf8"), 10);
      assert.equal((await readFile(join(dir, "ns"), "utf8")).trim(), "default");
      assert.doesNotThrow(() => process.kill(pid, 0), "the background command is running");
      await setup.stop();
      assert.throws(() => process.kill(pid, 0), "the background command is stopped");
    });

    test("a failing command stops the set-up: later commands do not run", async () => {
      const dir = await mkdtemp(join(tmpdir(), "kp-setup-run-"));
      const setup = await run({
        commands: [
          { operation: script("echo broken >&2; exit 2", 7), background: false },
          { operation: script("touch later", 8), background: false },
        ],
        baseDir: dir,
      });
      const error = setup.failedResult()?.attempts[0]?.error;
      assert.equal(
        error?.message,
        'set-up of setup.yaml:1:1 failed: script "echo broken >&2; exit 2": exit status 2\nbroken',
      );
      assert.deepEqual(messages.at(-1), `error: setup.yaml:7:1: ${error?.message}`);
      await assert.rejects(readFile(join(dir, "later")), "the second command did not run");
    });
  },
);
