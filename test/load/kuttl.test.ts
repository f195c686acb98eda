import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { discover } from "../../src/load/discover.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { kuttlLoader } from "../../src/load/kuttl.ts";
import type { Operation, SourceDocument, Test } from "../../src/model/index.ts";
import { formatLocation } from "../../src/model/index.ts";
import { parseLocationArg, selectTests } from "../../src/run/plan.ts";
import { context, FIXTURES, fixture } from "./fixtures.ts";

function load(...rels: string[]): Test[] {
  return discover(rels.map(fixture), { rootDir: FIXTURES }).tests;
}

function named(tests: readonly Test[], name: string): Test {
  const test = tests.find((t) => t.name === name);
  assert.ok(test, `test ${name}`);
  return test;
}

/** An operation as plain data: locations as `file:line:col`, resources as their values. */
function plain(op: Operation): Record<string, unknown> {
  const out: Record<string, unknown> = { ...op, location: formatLocation(op.location) };
  if ("resources" in op) out.resources = op.resources.map((r: SourceDocument) => r.value);
  return out;
}

/** One line per operation with what distinguishes it, for whole-test comparisons. */
function outline(test: Test): string[] {
  return test.steps.flatMap((step) => [
    `step ${step.name} @${formatLocation(step.location)}`,
    ...(["try", "catch"] as const).flatMap((phase) =>
      step[phase].map((op) => {
        const at = `${phase} ${op.type} @${formatLocation(op.location)} ${op.timeoutMs}ms`;
        const detail =
          op.type === "command"
            ? [op.entrypoint, ...op.args].join(" ")
            : op.type === "script"
              ? JSON.stringify(op.content)
              : "resources" in op
                ? op.resources.map((r) => JSON.stringify(r.value)).join(" ")
                : op.type === "podLogs" || op.type === "events"
                  ? JSON.stringify({ ...op, location: undefined, timeoutMs: undefined, bindings: undefined })
                  : "";
        return `  ${at}${op.continueOnError ? " continueOnError" : ""} ${detail}`;
      }),
    ),
  ]);
}

function loadErrors(path: string): string[] {
  try {
    kuttlLoader.load(fixture(path), context());
  } catch (err) {
    if (err instanceof LoadErrors) return err.errors.map((e) => e.format());
    throw err;
  }
  assert.fail(`${path} loaded without errors`);
}

describe("kuttl suites", () => {
  it("loads one test per test directory of kuttl-test.yaml, with the suite's settings", () => {
    const tests = load("kuttl/suite");
    assert.deepEqual(
      tests.map((t) => [t.id, t.name, t.format]),
      [
        ["kuttl/suite/tests/full::full", "full", "kuttl"],
        ["kuttl/suite/tests/other::other", "other", "kuttl"],
        // A Chainsaw test next to kuttl ones stays Chainsaw's; `helpers` has no steps.
        [
          "kuttl/suite/tests/chainsaw/chainsaw-test.yaml::chainsaw-neighbour",
          "chainsaw-neighbour",
          "chainsaw",
        ],
      ],
    );
    const full = named(tests, "full");
    assert.equal(full.namespace, "shared-ns");
    assert.equal(full.skipDelete, true);
    // parallel: 1 runs the suite's tests one at a time.
    assert.equal(full.concurrent, false);
    assert.equal(full.template, false);
    assert.equal(full.baseDir, fixture("kuttl/suite/tests/full"));
    assert.deepEqual(full.location, { file: "kuttl/suite/tests/full/00-assert.yaml", line: 1, col: 1 });
    assert.deepEqual(
      [full.labels, full.timeouts, full.bindings, full.catch, full.skip],
      [{}, {}, [], [], false],
    );
  });

  it("maps every step in index order: deletions, commands, objects, asserts, assert commands, errors", () => {
    assert.deepEqual(outline(named(load("kuttl/suite"), "full")), [
      "step 00-install @kuttl/suite/tests/full/00-assert.yaml:1:1",
      '  try apply @kuttl/suite/tests/full/00-install.yaml:1:1 45000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"config"},"data":{"mode":"initial"}} {"apiVersion":"v1","kind":"Pod","metadata":{"generateName":"web-","labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}',
      // TestAssert timeout: 10 governs the asserts and the assert commands, not the objects.
      '  try assert @kuttl/suite/tests/full/00-assert.yaml:15:1 10000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"config"},"data":{"mode":"initial","note":"\\\\(none)\\\\"}}',
      '  try script @kuttl/suite/tests/full/00-assert.yaml:5:5 10000ms "until kubectl get configmap config --namespace \\"${NAMESPACE}\\"; do sleep 1; done"',
      '  try script @kuttl/suite/tests/full/00-assert.yaml:7:5 10000ms "until (\\ntest -n \\"$NAMESPACE\\"\\n); do sleep 1; done"',
      '  catch podLogs @kuttl/suite/tests/full/00-assert.yaml:9:5 45000ms {"outputs":[],"template":false,"continueOnError":false,"type":"podLogs","name":"web"}',
      '  catch events @kuttl/suite/tests/full/00-assert.yaml:10:5 45000ms {"outputs":[],"template":false,"continueOnError":false,"type":"events"}',
      '  catch podLogs @kuttl/suite/tests/full/00-assert.yaml:11:5 45000ms {"outputs":[],"template":false,"continueOnError":false,"type":"podLogs","selector":"app=web","container":"web","tail":10}',
      '  catch script @kuttl/suite/tests/full/00-assert.yaml:13:5 45000ms continueOnError "kubectl get pods -n ${NAMESPACE}"',
      "step 01-remove @kuttl/suite/tests/full/01-cleanup.yaml:1:1",
      '  try delete @kuttl/suite/tests/full/01-cleanup.yaml:6:5 45000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"config"}}',
      '  try delete @kuttl/suite/tests/full/01-cleanup.yaml:9:5 45000ms {"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"web"}}}',
      "  try script @kuttl/suite/tests/full/01-cleanup.yaml:14:5 45000ms \"echo \\\"${NAMESPACE}\\\" 'a b' '$HOME'\"",
      '  try script @kuttl/suite/tests/full/01-cleanup.yaml:15:5 5000ms continueOnError "exit 3"',
      "  try command @kuttl/suite/tests/full/01-cleanup.yaml:18:5 86400000ms kubectl version --client",
      "  try command @kuttl/suite/tests/full/01-cleanup.yaml:20:5 45000ms kubectl get pods -n other",
      '  try error @kuttl/suite/tests/full/01-errors.yaml:1:1 45000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"config"}}',
      "step 02-update @kuttl/suite/tests/full/02-update/assert.yaml:1:1",
      '  try apply @kuttl/suite/tests/full/02-update/update.yaml:1:1 45000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"updated"}}',
      '  try assert @kuttl/suite/tests/full/02-update/assert.yaml:1:1 45000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":"updated"}}',
    ]);
  });

  it("a step's objects become one apply: create what is missing, merge-patch what exists", () => {
    const [step] = named(load("kuttl/suite"), "full").steps;
    assert.ok(step);
    assert.deepEqual(step.bindings, []);
    const [apply] = step.try;
    assert.ok(apply);
    assert.deepEqual(plain(apply), {
      type: "apply",
      location: "kuttl/suite/tests/full/00-install.yaml:1:1",
      description: "kuttl apply: create, or merge-patch what exists",
      timeoutMs: 45000,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      dryRun: false,
      // The Pod has only generateName: apply creates it.
      resources: [
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "config" }, data: { mode: "initial" } },
        {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { generateName: "web-", labels: { app: "web" } },
          spec: { containers: [{ name: "web", image: "nginx" }] },
        },
      ],
      expect: [],
    });
  });

  it("commands: argv split at load time, or sh when $VARIABLES need the run's values", () => {
    const remove = named(load("kuttl/suite"), "full").steps[1];
    assert.ok(remove);
    const [, , echo, exit3, version, namespaced] = remove.try.map(plain);
    assert.deepEqual(echo, {
      type: "script",
      location: "kuttl/suite/tests/full/01-cleanup.yaml:14:5",
      description: "echo \"$NAMESPACE\" 'a b' $$HOME",
      label: 'command "echo "$NAMESPACE" \'a b\' $$HOME"',
      content: "echo \"${NAMESPACE}\" 'a b' '$HOME'",
      timeoutMs: 45000,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      env: [],
      skipLogOutput: false,
    });
    assert.deepEqual(exit3, {
      type: "script",
      location: "kuttl/suite/tests/full/01-cleanup.yaml:15:5",
      content: "exit 3",
      timeoutMs: 5000,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: true,
      env: [],
      skipLogOutput: false,
    });
    // A negative timeout is "no timeout" in kuttl.
    assert.deepEqual(version, {
      type: "command",
      location: "kuttl/suite/tests/full/01-cleanup.yaml:18:5",
      entrypoint: "kubectl",
      args: ["version", "--client"],
      timeoutMs: 86_400_000,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      env: [],
      skipLogOutput: false,
    });
    // namespaced, but -n is given: nothing is appended.
    assert.deepEqual(namespaced?.args, ["get", "pods", "-n", "other"]);
  });

  it("deletions read the flat reference as an object and point at their list entry", () => {
    const remove = named(load("kuttl/suite"), "full").steps[1];
    const del = remove?.try[1];
    assert.ok(del?.type === "delete");
    assert.deepEqual(plain(del), {
      type: "delete",
      location: "kuttl/suite/tests/full/01-cleanup.yaml:9:5",
      timeoutMs: 45000,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      resources: [{ apiVersion: "v1", kind: "Pod", metadata: { labels: { app: "web" } } }],
      expect: [],
    });
    assert.deepEqual(del.resources[0]?.locate(["metadata", "labels", "app"]), {
      file: "kuttl/suite/tests/full/01-cleanup.yaml",
      line: 12,
      col: 7,
    });
  });

  it("asserted strings that look like Chainsaw expressions stay literal, and keep their positions", () => {
    const assertOp = named(load("kuttl/suite"), "full").steps[0]?.try[1];
    assert.ok(assertOp?.type === "assert");
    const [doc] = assertOp.resources;
    assert.ok(doc);
    assert.deepEqual((doc.value as { data: unknown }).data, { mode: "initial", note: "\\(none)\\" });
    assert.deepEqual(doc.locate(["data", "note"]), {
      file: "kuttl/suite/tests/full/00-assert.yaml",
      line: 21,
      col: 3,
    });
    assert.equal(assertOp.listMatch, "exact");
    assert.equal(assertOp.mode, "eventually");
  });
});

describe("kuttl test cases", () => {
  it("a test case without a suite file gets kuttl's defaults: 30 s, its own namespace", () => {
    const [test] = load("kuttl/standalone");
    assert.ok(test);
    assert.equal(test.name, "basic");
    assert.equal(test.namespace, undefined);
    assert.equal(test.skipDelete, undefined);
    assert.equal(test.concurrent, true);
    assert.deepEqual(outline(test), [
      "step 00-install @kuttl/standalone/basic/00-assert.yaml:1:1",
      '  try apply @kuttl/standalone/basic/00-install.yaml:1:1 30000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"basic"},"data":{"key":"value"}}',
      '  try assert @kuttl/standalone/basic/00-assert.yaml:1:1 30000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"basic"},"data":{"key":"value"}}',
      // TestStep apply (a file) and assert (a directory of *.yaml), relative to the test case.
      "step 01-more @kuttl/standalone/basic/01-more.yaml:1:1",
      '  try apply @kuttl/suite/tests/helpers/configmap.yaml:1:1 30000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"helper"}}',
      '  try assert @kuttl/suite/tests/helpers/configmap.yaml:1:1 30000ms {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"helper"}}',
    ]);
  });

  it("a test case named on its own still runs with its suite's settings", () => {
    const [test] = load("kuttl/suite/tests/other");
    assert.ok(test);
    assert.equal(test.namespace, "shared-ns");
    assert.equal(test.steps[0]?.try[0]?.timeoutMs, 45000);
  });

  it("a test reached through its suite file and as a directory loads once", () => {
    const tests = load("kuttl/suite/tests/full", "kuttl/suite/kuttl-test.yaml");
    assert.deepEqual(
      tests.map((t) => t.name),
      ["full", "other"],
    );
  });

  it("a step file loads its test case; path:line and the id select it", () => {
    const tests = load("kuttl/suite/tests/full/00-assert.yaml");
    assert.deepEqual(
      tests.map((t) => [t.id, formatLocation(t.location)]),
      [["kuttl/suite/tests/full::full", "kuttl/suite/tests/full/00-assert.yaml:1:1"]],
    );
    const selected = selectTests(tests, {
      locations: [{ file: "kuttl/suite/tests/full/00-assert.yaml", line: 1 }],
    });
    assert.equal(selected.length, 1);
    const byId = selectTests(tests, { locations: [parseLocationArg("kuttl/suite/tests/full::full")] });
    assert.equal(byId.length, 1);
  });

  it("TestFile selectors are matched against a run without labels", () => {
    const [test] = load("kuttl/testfile");
    assert.ok(test);
    assert.deepEqual(
      test.steps.map((s) => s.name),
      ["00-unless"],
    );
    const create = test.steps[0]?.try.find((op) => op.type === "apply");
    assert.ok(create?.type === "apply");
    assert.deepEqual(
      create.resources.map((r) => (r.value as { metadata: { name: string } }).metadata.name),
      ["kept"],
    );
  });

  it("detects test cases, not numbered manifests nor Chainsaw directories", () => {
    const ctx = context();
    assert.equal(kuttlLoader.detect(fixture("kuttl/suite/tests/full"), ctx), true);
    // Without asserts or kuttl objects, only a suite listing it makes a numbered folder a test case.
    assert.equal(kuttlLoader.detect(fixture("kuttl/suite/tests/other"), ctx), true);
    assert.equal(kuttlLoader.detect(fixture("kuttl/manifests"), ctx), false);
    assert.equal(kuttlLoader.detect(fixture("kuttl/suite/tests/chainsaw"), ctx), false);
    assert.equal(kuttlLoader.detect(fixture("kuttl/suite/kuttl-test.yaml"), ctx), true);
    assert.equal(kuttlLoader.detect(fixture("kuttl/suite/tests/full/00-install.yaml"), ctx), true);
    assert.equal(kuttlLoader.detect(fixture("kuttl/suite/tests/full/02-update/update.yaml"), ctx), false);
    assert.equal(kuttlLoader.detect(fixture("kuttl/suite/tests"), ctx), false);
    assert.deepEqual(load("kuttl/manifests"), []);
  });
});

describe("kuttl mistakes are reported with file:line:col", () => {
  const cases: [string, string[]][] = [
    [
      "kuttl-invalid/typo",
      [
        'kuttl-invalid/typo/00-step.yaml:3:1: unknown field "comands" — expected one of apiVersion, metadata, kind, index, apply, assert, error, delete, unitTest, commands; did you mean "commands"?',
      ],
    ],
    [
      "kuttl-invalid/bad-yaml",
      [
        "kuttl-invalid/bad-yaml/00-install.yaml:5:16: Flow sequence in block collection must be sufficiently indented and end with a ] — expected valid YAML",
      ],
    ],
    [
      "kuttl-invalid/kubeconfig",
      [
        "kuttl-invalid/kubeconfig/00-step.yaml:3:1: kubeconfig: a per-step kubeconfig is not supported: kubeproof runs every step against the run's cluster; remove it, or run the steps that need another cluster as a separate test run (--kubeconfig)",
      ],
    ],
    [
      "kuttl-invalid/two-steps",
      [
        "kuttl-invalid/two-steps/00-b.yaml:2:1: more than one TestStep in step 00; merge it with the one at kuttl-invalid/two-steps/00-a.yaml:1:1",
      ],
    ],
    [
      "kuttl-invalid/misplaced",
      [
        "kuttl-invalid/misplaced/00-assert.yaml:2:1: a TestStep does not belong in an assert file — expected it in a step file (not an assert or errors file)",
        "kuttl-invalid/misplaced/00-install.yaml:2:1: a TestAssert does not belong in a step file — expected it in the step's assert file (NN-assert.yaml)",
      ],
    ],
    [
      "kuttl-invalid/bad-command",
      [
        "kuttl-invalid/bad-command/00-step.yaml:4:5: commands[0].command: the command line has a quote that is never closed — expected a command line as a shell would split it",
        "kuttl-invalid/bad-command/00-step.yaml:5:5: commands[1]: command and script cannot both be set; split them into two commands",
        "kuttl-invalid/bad-command/00-step.yaml:7:5: commands[2]: a command needs command or script — expected command: <command line> or script: <shell script>",
        "kuttl-invalid/bad-command/00-step.yaml:9:5: commands[3].namespaced: namespaced cannot be used with script; use $NAMESPACE in the script instead",
        "kuttl-invalid/bad-command/00-step.yaml:10:5: commands[4].command: the command line is empty — expected a command line as a shell would split it",
      ],
    ],
    [
      "kuttl-invalid/cel",
      [
        'kuttl-invalid/cel/00-assert.yaml:4:5: resourceRefs[0]: missing required field "namespace"',
        'kuttl-invalid/cel/00-assert.yaml:7:5: resourceRefs[0].ref: invalid ref "my-cm" — expected a CEL identifier (letters, digits, _) naming the object in the expressions',
        "kuttl-invalid/cel/00-assert.yaml:9:5: assertAll[0].celExpr: invalid CEL: Unexpected token: EOF — expected a CEL expression",
      ],
    ],
    [
      "kuttl-invalid/missing-ref",
      [
        'kuttl-invalid/missing-ref/00-step.yaml:4:5: apply[0]: "nope.yaml" not found — expected a file or directory relative to kuttl-invalid/missing-ref/',
        'kuttl-invalid/missing-ref/00-step.yaml:6:5: error[0]: remote file "https://example.com/errors.yaml" is not supported; download it next to the test and reference the local copy',
      ],
    ],
    [
      "kuttl-invalid/no-kind",
      [
        "kuttl-invalid/no-kind/00-install.yaml:1:1: resource has no kind — expected a Kubernetes object with apiVersion and kind",
      ],
    ],
    [
      "kuttl-invalid/suite/kuttl-test.yaml",
      [
        "kuttl-invalid/suite/kuttl-test.yaml:5:1: startKIND: starting a kind cluster (startKIND) is not supported; kubeproof brings its own local cluster; select another one with --kubeconfig / --context",
        'kuttl-invalid/suite/kuttl-test.yaml:9:1: unknown field "timout" — expected one of apiVersion, metadata, kind, testDirs, timeout, parallel, skipDelete, namespace, crdDir, manifestDirs, …; did you mean "timeout"?',
      ],
    ],
    [
      "kuttl-invalid/missing-dir/kuttl-test.yaml",
      [
        'kuttl-invalid/missing-dir/kuttl-test.yaml:4:5: testDirs[0]: test directory "./missing" not found — expected a directory relative to kuttl-invalid/missing-dir/',
      ],
    ],
  ];
  for (const [path, expected] of cases) {
    it(path, () => {
      assert.deepEqual(loadErrors(path), expected);
    });
  }
});
