import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type {
  ApplyOperation,
  AssertOperation,
  DeleteOperation,
  Operation,
  ScriptOperation,
  Test,
} from "../../src/model/index.ts";
import {
  chainsawLoader,
  isConventionalTestFile,
  loadChainsawFile,
  loadChainsawText,
} from "../../src/load/chainsaw.ts";
import { context, FIXTURES, fixture } from "./fixtures.ts";

function load(rel: string): Test[] {
  return loadChainsawFile(fixture(rel), context());
}

function only<T>(list: readonly T[]): T {
  assert.equal(list.length, 1);
  const [item] = list;
  assert.ok(item !== undefined);
  return item;
}

/** The operation interface whose `type` union contains T (ApplyOperation covers apply, create, update). */
type OpOf<T extends Operation["type"]> = Operation extends infer O
  ? O extends { type: infer U }
    ? T extends U
      ? O
      : never
    : never
  : never;

function op<T extends Operation["type"]>(o: Operation | undefined, type: T): OpOf<T> {
  assert.ok(o !== undefined);
  assert.equal(o.type, type);
  return o as OpOf<T>;
}

describe("Chainsaw examples load unchanged", () => {
  const examples: [string, string, string[][]][] = [
    ["valid/basic/chainsaw-test.yaml", "basic", [["apply", "assert"]]],
    ["valid/catch/chainsaw-test.yaml", "catch", [["apply", "assert"]]],
    ["valid/delete/chainsaw-test.yaml", "delete", [["apply", "delete"]]],
    ["valid/finally/chainsaw-test.yaml", "finally", [["apply"]]],
    ["valid/list/chainsaw-test.yaml", "list", [["apply", "assert"]]],
    ["valid/namespace-template/chainsaw-test.yaml", "namespace-template", [["assert"]]],
    ["valid/negative-resource/chainsaw-test.yaml", "negative-resource", [["apply"]]],
    ["valid/outputs/chainsaw-test.yaml", "outputs", [["apply"], ["script", "assert"], ["command", "assert"]]],
    ["valid/patch/chainsaw-test.yaml", "patch", [["apply", "patch", "assert"]]],
    ["valid/script-env/chainsaw-test.yaml", "script-env", [["script", "command"]]],
    ["valid/sleep/chainsaw-test.yaml", "sleep", [["sleep"]]],
    ["valid/template/chainsaw-test.yaml", "template", [["apply", "delete"]]],
    ["valid/timeout/chainsaw-test.yml", "timeout", [["script"]]],
  ];
  for (const [rel, name, steps] of examples) {
    it(`${name}`, () => {
      const test = only(load(rel));
      assert.equal(test.name, name);
      assert.equal(test.format, "chainsaw");
      assert.deepEqual(
        test.steps.map((s) => s.try.map((o) => o.type)),
        steps,
      );
      assert.deepEqual(
        test.steps.map((s) => s.name),
        steps.map((_s, i) => `step-${i + 1}`),
      );
    });
  }

  it("gives each test an id of its file and name, several tests per file", () => {
    const tests = load("valid/wait/chainsaw-test.yaml");
    assert.deepEqual(
      tests.map((t) => [t.id, t.location.line]),
      [
        ["valid/wait/chainsaw-test.yaml::example", 1],
        ["valid/wait/chainsaw-test.yaml::example-selector", 18],
        ["valid/wait/chainsaw-test.yaml::example-deletion", 36],
      ],
    );
    const waits = tests.map((t) => op(t.steps[0]?.try[0], "wait"));
    assert.deepEqual(waits[0]?.for, { condition: { name: "Ready", value: "true" } });
    assert.equal(waits[0]?.timeoutMs, 60_000);
    assert.deepEqual(waits[1]?.ref, { apiVersion: "v1", kind: "Pod", selector: "app=foo" });
    assert.deepEqual(waits[2]?.for, { deletion: true });
  });

  it("counts the line of a leading comment out of the location", () => {
    const test = only(load("valid/catch/chainsaw-test.yaml"));
    assert.equal(test.id, `valid/catch/chainsaw-test.yaml::${test.name}`);
    assert.deepEqual(test.location, { file: "valid/catch/chainsaw-test.yaml", line: 2, col: 1 });
  });

  it("resolves file references at load time with positions in the referenced file", () => {
    const test = only(load("valid/basic/chainsaw-test.yaml"));
    const apply = op(test.steps[0]?.try[0], "apply");
    assert.equal(apply.description, "Create the configmap.");
    const resource = only(apply.resources);
    assert.deepEqual(resource.value, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "chainsaw-quick-start" },
      data: { foo: "bar" },
    });
    assert.deepEqual(resource.location, { file: "valid/basic/configmap.yaml", line: 1, col: 1 });
    assert.deepEqual(resource.locate(["data", "foo"]), {
      file: "valid/basic/configmap.yaml",
      line: 6,
      col: 3,
    });
    assert.equal(test.baseDir, `${FIXTURES}/valid/basic`);
  });

  it("loads every document of a multi-document file and every item of a List", () => {
    const negative = only(load("valid/negative-resource/chainsaw-test.yaml"));
    const apply = op(negative.steps[0]?.try[0], "apply");
    assert.deepEqual(
      apply.resources.map((r) => [
        (r.value as { metadata: { name: string } }).metadata.name,
        r.location.line,
      ]),
      [
        ["good", 1],
        ["bad", 8],
      ],
    );
    assert.deepEqual(apply.expect, [
      {
        match: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad" } },
        check: { "($error != null)": true },
      },
    ]);
    const list = only(load("valid/list/chainsaw-test.yaml"));
    const fromList = op(list.steps[0]?.try[0], "apply").resources;
    assert.deepEqual(
      fromList.map((r) => [(r.value as { metadata: { name: string } }).metadata.name, r.location]),
      [
        ["cm-1", { file: "valid/list/list.yaml", line: 4, col: 3 }],
        ["cm-2", { file: "valid/list/list.yaml", line: 11, col: 3 }],
      ],
    );
  });

  it("keeps inline resources and expressions untouched, with positions", () => {
    const test = only(load("valid/outputs/chainsaw-test.yaml"));
    const script = op(test.steps[1]?.try[0], "script");
    assert.deepEqual(script.outputs, [{ name: "cm", value: "(json_parse($stdout))" }]);
    const assertion = op(test.steps[1]?.try[1], "assert");
    const resource = only(assertion.resources);
    assert.deepEqual(Object.keys(resource.value as object), ["($cm)"]);
    assert.deepEqual(resource.locate(["($cm)", "kind"]), {
      file: "valid/outputs/chainsaw-test.yaml",
      line: 27,
      col: 13,
    });
    const template = only(load("valid/template/chainsaw-test.yaml"));
    const del = op(template.steps[0]?.try[1], "delete");
    assert.deepEqual(del.ref, { apiVersion: "v1", kind: "ConfigMap", name: "($namespace)" });
    assert.equal(template.template, true);
  });

  it("keeps the namespace template as a positioned document", () => {
    const test = only(load("valid/namespace-template/chainsaw-test.yaml"));
    assert.deepEqual(test.namespaceTemplate?.value, {
      metadata: { name: "foo", annotations: { "keptn.sh/lifecycle-toolkit": "enabled" } },
    });
    assert.deepEqual(test.namespaceTemplate?.location, {
      file: "valid/namespace-template/chainsaw-test.yaml",
      line: 6,
      col: 3,
    });
  });

  it("reads bindings, env and checks of scripts and commands", () => {
    const test = only(load("valid/script-env/chainsaw-test.yaml"));
    assert.deepEqual(test.bindings, [{ name: "chainsaw", value: "chainsaw" }]);
    assert.deepEqual(test.steps[0]?.bindings, [{ name: "hello", value: "hello" }]);
    const script = op(test.steps[0]?.try[0], "script");
    assert.equal(script.skipCommandOutput, true);
    assert.equal(script.skipLogOutput, false);
    assert.deepEqual(script.env, [{ name: "GREETINGS", value: "(join(' ', [$hello, $chainsaw]))" }]);
    assert.deepEqual(script.check, { "($error)": null, "(trim_space($stdout))": "hello chainsaw" });
    const command = op(test.steps[0]?.try[1], "command");
    assert.equal(command.entrypoint, "echo");
    assert.deepEqual(command.args, ["$GREETINGS"]);
    assert.equal(command.skipLogOutput, true);
  });

  it("reads catch and finally blocks", () => {
    const catchTest = only(load("valid/catch/chainsaw-test.yaml"));
    assert.deepEqual(
      catchTest.steps[0]?.catch.map((o) => o.type),
      ["events", "describe"],
    );
    const describeOp = op(catchTest.steps[0]?.catch[1], "describe");
    assert.deepEqual(describeOp.ref, {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
    });
    const sleepTest = only(load("valid/sleep/chainsaw-test.yaml"));
    assert.equal(op(sleepTest.steps[0]?.try[0], "sleep").durationMs, 10_000);
    assert.equal(op(sleepTest.steps[0]?.catch[0], "sleep").durationMs, 5000);
    assert.equal(op(sleepTest.steps[0]?.finally[0], "sleep").durationMs, 5000);
  });
});

describe("every operation and field", () => {
  const test = only(load("valid/all-operations/chainsaw-test.yaml"));
  const [resources, collectors] = test.steps;
  const file = "valid/all-operations/chainsaw-test.yaml";

  it("reads the test spec", () => {
    assert.equal(test.id, `${file}::${test.name}`);
    assert.deepEqual(test.labels, { area: "load" });
    assert.equal(test.description, "Every operation with every field kubeproof supports.");
    assert.equal(test.namespace, "fixed-ns");
    assert.equal(test.concurrent, false);
    assert.equal(test.skip, false);
    assert.equal(test.skipDelete, true);
    assert.equal(test.failFast, true);
    assert.equal(test.template, false);
    assert.equal(test.delayBeforeCleanupMs, 2000);
    assert.equal(test.forceTerminationGracePeriodMs, 0);
    assert.equal(test.deletionPropagationPolicy, "Foreground");
    assert.deepEqual(test.timeouts, {
      apply: 60_000,
      assert: 90_000,
      cleanup: 120_000,
      delete: 45_000,
      error: 500,
      exec: 3_600_000,
    });
    assert.deepEqual(test.bindings, [{ name: "greeting", value: "hello" }]);
    assert.deepEqual(
      test.catch.map((o) => [o.type, o.location.line]),
      [["events", 161]],
    );
  });

  it("reads the step fields and names", () => {
    assert.ok(resources && collectors);
    assert.equal(resources.name, "resources");
    assert.equal(collectors.name, "step-2");
    assert.deepEqual(resources.location, { file, line: 30, col: 5 });
    assert.equal(resources.description, "Resource operations.");
    assert.deepEqual(resources.timeouts, { apply: 10_000 });
    assert.deepEqual(resources.bindings, [{ name: "count", value: 3 }]);
    assert.equal(resources.skipDelete, false);
    assert.equal(resources.template, true);
    assert.equal(resources.deletionPropagationPolicy, "Orphan");
    assert.deepEqual(collectors.timeouts, {});
  });

  it("reads apply with a glob, outputs, expectations and overrides", () => {
    const apply = op(resources?.try[0], "apply") satisfies ApplyOperation;
    assert.deepEqual(apply.location, { file, line: 43, col: 7 });
    assert.equal(apply.description, "apply from a glob");
    assert.equal(apply.continueOnError, true);
    assert.equal(apply.timeoutMs, 20_000);
    assert.equal(apply.dryRun, true);
    assert.equal(apply.template, false);
    assert.deepEqual(apply.bindings, [{ name: "local", value: "(concat($greeting, '!'))" }]);
    assert.deepEqual(apply.outputs, [{ name: "applied", value: "(@)", match: { kind: "ConfigMap" } }]);
    assert.deepEqual(apply.expect, [{ match: { kind: "ConfigMap" }, check: { "($error)": null } }]);
    assert.deepEqual(
      apply.resources.map((r) => `${r.location.file}:${r.location.line}`),
      [
        "valid/all-operations/manifests/a.yaml:1",
        "valid/all-operations/manifests/b.yaml:1",
        "valid/all-operations/manifests/b.yaml:6",
      ],
    );
  });

  it("inherits template from the step when an operation does not set it", () => {
    for (const o of resources?.try.slice(1) ?? []) assert.equal(o.template, true, o.type);
    for (const o of collectors?.try ?? []) assert.equal(o.template, false, o.type);
  });

  it("reads create, update, patch, assert and error", () => {
    const create = op(resources?.try[1], "create");
    assert.deepEqual(create.resources[0]?.location, { file, line: 62, col: 9 });
    assert.equal(create.dryRun, false);
    assert.deepEqual(create.expect, []);
    assert.equal(
      op(resources?.try[2], "update").resources[0]?.location.file,
      "valid/all-operations/manifests/a.yaml",
    );
    assert.deepEqual(op(resources?.try[3], "patch").resources[0]?.value, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "a" },
      data: { patched: "true" },
    });
    const assertOp = op(resources?.try[4], "assert") satisfies AssertOperation;
    assert.equal(assertOp.timeoutMs, 5000);
    assert.deepEqual(assertOp.resources[0]?.value, { "(length(@) > `0`)": true });
    assert.equal(assertOp.listMatch, "exact");
    assert.equal(assertOp.mode, "eventually");
    assert.equal(op(resources?.try[5], "error").resources.length, 1);
  });

  it("reads delete by reference and by file", () => {
    const byRef = op(resources?.try[6], "delete") satisfies DeleteOperation;
    assert.deepEqual(byRef.ref, {
      apiVersion: "v1",
      kind: "ConfigMap",
      namespace: "other",
      selector: "app=web,tier=db",
    });
    assert.equal(byRef.propagationPolicy, "Orphan");
    assert.deepEqual(byRef.expect, [{ check: { "($error)": null } }]);
    assert.deepEqual(byRef.resources, []);
    const byFile = op(resources?.try[7], "delete");
    assert.equal(byFile.ref, undefined);
    assert.equal(byFile.resources.length, 1);
  });

  it("reads wait, get, describe, events, podLogs and sleep", () => {
    const wait = op(collectors?.try[0], "wait");
    assert.deepEqual(wait.ref, { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "apps" });
    assert.deepEqual(wait.for, { jsonPath: { path: "{.status.readyReplicas}", value: "1" } });
    assert.equal(wait.format, "yaml");
    const get = op(collectors?.try[1], "get");
    assert.deepEqual(get.ref, { apiVersion: "v1", kind: "Pod", selector: "app=web" });
    assert.equal(get.format, "json");
    const describeOp = op(collectors?.try[2], "describe");
    assert.deepEqual(describeOp.ref, { apiVersion: "v1", kind: "Pod", name: "web-0" });
    assert.equal(describeOp.showEvents, true);
    const events = op(collectors?.try[3], "events");
    assert.equal(events.namespace, "apps");
    assert.equal(events.format, "yaml");
    const logs = op(collectors?.try[4], "podLogs");
    assert.deepEqual(
      [logs.selector, logs.container, logs.tail, logs.name],
      ["app=web", "main", 20, undefined],
    );
    assert.equal(op(collectors?.try[5], "sleep").durationMs, 250);
  });

  it("reads script and command", () => {
    const script = op(collectors?.try[6], "script") satisfies ScriptOperation;
    assert.equal(script.content, 'echo "$GREETING"');
    assert.equal(script.shell, "bash");
    assert.deepEqual(script.shellArgs, ["-e", "-c"]);
    assert.equal(script.workDir, "scripts");
    assert.equal(script.skipLogOutput, true);
    assert.equal(script.skipCommandOutput, true);
    assert.equal(script.timeoutMs, 60_000);
    assert.deepEqual(script.env, [
      { name: "GREETING", value: "($greeting)" },
      { name: "COUNT", value: "3" },
    ]);
    const command = op(collectors?.try[7], "command");
    assert.equal(command.entrypoint, "kubectl");
    assert.deepEqual(command.args, ["version", "--client"]);
    assert.deepEqual(command.env, []);
  });

  it("reads catch, finally and cleanup", () => {
    assert.deepEqual(
      collectors?.catch.map((o) => o.type),
      ["podLogs", "describe"],
    );
    assert.deepEqual(
      collectors?.finally.map((o) => o.type),
      ["events"],
    );
    assert.equal(op(collectors?.cleanup[0], "script").content, "echo cleanup");
  });
});

describe("kubeproof apiVersion", () => {
  const tests = load("valid/kubeproof/extensions.yaml");

  it("loads the extensions", () => {
    assert.deepEqual(
      tests.map((t) => [t.name, t.format]),
      [
        ["extensions", "kubeproof"],
        ["second", "kubeproof"],
      ],
    );
    const [assertOp, errorOp, plain] = tests[0]?.steps[0]?.try ?? [];
    const a = op(assertOp, "assert");
    assert.deepEqual([a.listMatch, a.mode, a.timeoutMs], ["contains", "consistently", 10_000]);
    const e = op(errorOp, "error");
    assert.deepEqual([e.listMatch, e.mode], ["exact", "never"]);
    const p = op(plain, "assert");
    assert.deepEqual([p.listMatch, p.mode], ["exact", "eventually"]);
    assert.equal(tests[1]?.steps[0]?.name, "only");
    assert.equal(tests[1]?.id, `valid/kubeproof/extensions.yaml::${tests[1]?.name}`);
    assert.equal(tests[1]?.location.line, 31);
  });
});

describe("load context", () => {
  it("takes the template default from the configuration", () => {
    const text =
      "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nspec:\n  steps:\n  - try:\n    - sleep:\n        duration: 1s\n";
    const [off] = loadChainsawText(
      text,
      fixture("valid/inline/chainsaw-test.yaml"),
      context({ template: false }),
    );
    assert.equal(off?.steps[0]?.try[0]?.template, false);
    const [on] = loadChainsawText(text, fixture("valid/inline/chainsaw-test.yaml"), context());
    assert.equal(on?.steps[0]?.try[0]?.template, true);
    assert.equal(on?.name, "inline");
  });

  it("names an unnamed test after its folder like Chainsaw", () => {
    const text = "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nspec:\n  steps: []\n";
    const [test] = loadChainsawText(text, fixture("My_Folder/chainsaw-test.yaml"), context());
    assert.equal(test?.name, "my-folder");
    assert.equal(test?.id, "My_Folder/chainsaw-test.yaml::my-folder");
  });
});

describe("chainsawLoader.detect", () => {
  it("accepts the conventional name and any YAML file holding a Test", () => {
    assert.equal(chainsawLoader.detect(fixture("valid/basic/chainsaw-test.yaml")), true);
    assert.equal(chainsawLoader.detect(fixture("valid/timeout/chainsaw-test.yml")), true);
    assert.equal(chainsawLoader.detect(fixture("valid/kubeproof/extensions.yaml")), true);
    assert.equal(chainsawLoader.detect(fixture("valid/basic/configmap.yaml")), false);
    assert.equal(chainsawLoader.detect(fixture("valid/basic")), false);
    assert.equal(chainsawLoader.detect(fixture("valid/all-operations/manifests/notes.txt")), false);
  });

  it("follows the configured test file name", () => {
    assert.equal(isConventionalTestFile("/x/e2e.yaml", "e2e"), true);
    assert.equal(isConventionalTestFile("/x/e2e.yml", "e2e"), true);
    assert.equal(isConventionalTestFile("/x/e2e.yml", "e2e.yaml"), false);
    assert.equal(isConventionalTestFile("/x/chainsaw-test.yaml", "e2e"), false);
  });
});
