/**
 * Fields and forms of real Chainsaw and kuttl suites that kubeproof used to refuse (issue 13), each
 * pinned by a minimal case of our own. What they do at run time is tested in test/e2e/compat.test.ts.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { loadChainsawFile, loadChainsawText } from "../../src/load/chainsaw.ts";
import { loadConfigText } from "../../src/load/config.ts";
import { discover } from "../../src/load/discover.ts";
import type {
  ApplyOperation,
  AssertOperation,
  ScriptOperation,
  Test,
  WaitOperation,
} from "../../src/model/index.ts";
import { formatLoadWarning, LoadErrors } from "../../src/source/diagnostics.ts";
import { runCli } from "../support/cli.ts";
import { context, FIXTURES, fixture } from "./fixtures.ts";

const shown = (suite: { warnings?: Parameters<typeof formatLoadWarning>[0][] }): string[] =>
  (suite.warnings ?? []).map((w) => formatLoadWarning(w).replace(/^warning: /, ""));

const e2e = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));

function loadE2e(rel: string): Test[] {
  return loadChainsawFile(`${e2e}${rel}`, context({ rootDir: e2e }));
}

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof LoadErrors) return error.errors.map((e) => e.format());
    throw error;
  }
  assert.fail("expected load errors");
}

describe("Chainsaw fields of real suites", () => {
  it("accepts ObjectMeta in a test's metadata, creationTimestamp: null included", () => {
    const [test] = loadE2e("compat-fields/chainsaw-test.yaml");
    assert.equal(test?.name, "compat-fields");
    const text = [
      "apiVersion: chainsaw.kyverno.io/v1alpha1",
      "kind: Test",
      "metadata:",
      "  creationTimestamp: null",
      "  name: meta",
      "  labels: null",
      "  uid: 6b3c7f4e",
      "  finalizers: [a]",
      "spec:",
      "  steps:",
      "  - try:",
      "    - sleep: {duration: 1s}",
    ].join("\n");
    const [loaded] = loadChainsawText(text, fixture("compat/meta.yaml"), context());
    assert.deepEqual([loaded?.name, loaded?.labels], ["meta", {}]);
  });

  it("still refuses a misspelt metadata field", () => {
    const text =
      "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata:\n  nmae: x\nspec:\n  steps: []\n";
    const errors = errorsOf(() => loadChainsawText(text, fixture("compat/typo.yaml"), context()));
    assert.equal(errors.length, 1);
    assert.match(errors[0] ?? "", /^compat\/typo\.yaml:4:3: metadata: unknown field "nmae"/);
  });

  it("accepts fastNamespaceDeletion, wait.for.creation, env names as expressions, a binding named namespace", () => {
    const [test] = loadE2e("compat-fields/chainsaw-test.yaml");
    const [first, second] = test?.steps ?? [];
    const wait = first?.try[1] as WaitOperation;
    assert.deepEqual([wait.type, wait.for], ["wait", { creation: true }]);
    assert.deepEqual(second?.bindings, [{ name: "namespace", value: "overridden" }]);
    const script = second?.try[0] as ScriptOperation;
    assert.deepEqual(script.env, [{ name: "($variable)", value: "($namespace)" }]);
  });
});

describe("duplicate YAML keys", () => {
  it("are accepted, the last value winning, with a warning naming file:line for each", () => {
    const suite = discover([fixture("compat/duplicate-keys")], { rootDir: FIXTURES });
    const [test] = suite.tests;
    assert.equal(test?.name, "duplicate-keys");
    const script = test?.steps[0]?.try[0] as ScriptOperation;
    assert.equal(script.content, "echo second");
    assert.deepEqual(shown(suite), [
      'compat/duplicate-keys/chainsaw-test.yaml:6:3: duplicate key "name": this value replaces the one at line 5, as Go\'s YAML parsers do; remove one of the two keys',
      'compat/duplicate-keys/chainsaw-test.yaml:12:13: duplicate key "content": this value replaces the one at line 11, as Go\'s YAML parsers do; remove one of the two keys',
    ]);
    // Positions point at the key whose value is kept.
    assert.equal(script.location.line, 10);
  });

  it("in kuttl step files too, said once per file", () => {
    const suite = discover([fixture("compat/kuttl-duplicate")], { rootDir: FIXTURES });
    const [test] = suite.tests;
    const apply = test?.steps[0]?.try[0] as ApplyOperation;
    assert.deepEqual((apply.resources[0]?.value as { data: unknown }).data, { key: "second" });
    assert.equal(apply.resources[0]?.locate(["data", "key"]).line, 7);
    assert.deepEqual(shown(suite), [
      'compat/kuttl-duplicate/case/00-install.yaml:7:3: duplicate key "key": this value replaces the one at line 6, as Go\'s YAML parsers do; remove one of the two keys',
    ]);
  });
});

describe("duplicate YAML keys on the command line", () => {
  it("kubeproof test --list names each one, and the run goes on", async () => {
    const result = await runCli(["test", "compat/duplicate-keys", "--list"], { cwd: FIXTURES });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^compat\/duplicate-keys\/chainsaw-test\.yaml::duplicate-keys /m);
    assert.match(
      result.stderr,
      /^warning: compat\/duplicate-keys\/chainsaw-test\.yaml:6:3: duplicate key "name": this value replaces the one at line 5/m,
    );
  });
});

describe("kuttl fields of real suites", () => {
  it("TestStep timeout and TestSuite ignoreFiles are ignored as kuttl ignores them, with a warning", () => {
    const suite = discover([fixture("compat/kuttl-fields")], { rootDir: FIXTURES });
    assert.deepEqual(
      suite.tests.map((t) => t.name),
      ["case"],
    );
    assert.deepEqual(shown(suite), [
      "compat/kuttl-fields/case/00-install.yaml:5:1: timeout: not a field of kuttl's TestStep: kuttl ignores it, and so does kubeproof; set timeout on each of the step's commands, or in its TestAssert for the asserts",
      "compat/kuttl-fields/kuttl-test.yaml:4:1: ignoreFiles: not a field of kuttl's TestSuite: kuttl ignores it, and so does kubeproof; remove it, or move the files kuttl should not read out of the test case",
    ]);
  });

  it("`----` separates documents, as kuttl's splitter has it, positions unchanged", () => {
    const suite = discover([fixture("compat/kuttl-fields")], { rootDir: FIXTURES });
    const apply = suite.tests[0]?.steps[0]?.try.filter((o) => o.type === "apply") as ApplyOperation[];
    const objects = apply.flatMap((a) => a.resources);
    assert.deepEqual(
      objects.map((d) => [(d.value as { metadata: { name: string } }).metadata.name, d.location.line]),
      [
        ["one", 7],
        ["two", 12],
      ],
    );
  });
});

describe("step templates (use)", () => {
  it("expand into the step: template bindings first, with.bindings after them, positions in the template", () => {
    const [test] = loadE2e("compat-step-template/chainsaw-test.yaml");
    const [defaults, withBindings] = test?.steps ?? [];
    assert.deepEqual(defaults?.bindings, [{ name: "input", value: "from-template" }]);
    assert.deepEqual(withBindings?.bindings, [
      { name: "input", value: "from-template" },
      { name: "input", value: "from-test" },
    ]);
    assert.deepEqual(
      withBindings?.try.map((o) => `${o.type}@${o.location.file}:${o.location.line}`),
      [
        "create@compat-step-template/templates/configmap.yaml:10",
        "apply@compat-step-template/templates/configmap.yaml:17",
      ],
    );
    assert.deepEqual(
      withBindings?.finally.map((o) => o.type),
      ["script"],
    );
    // A file the template names resolves from the test's directory.
    const apply = withBindings?.try[1] as ApplyOperation;
    assert.equal(apply.resources[0]?.location.file, "compat-step-template/shared.yaml");
  });

  it("say what is wrong with a template or its use, once each", () => {
    const errors = errorsOf(() =>
      loadChainsawFile(fixture("compat/step-template-errors/chainsaw-test.yaml"), context()),
    );
    assert.deepEqual(errors, [
      'compat/step-template-errors/broken-template.yaml:7:7: spec.try[0]: unknown field "aply" — expected one of apply, assert, command, create, delete, describe, error, events, get, lookup, …; did you mean "apply"?',
      'compat/step-template-errors/chainsaw-test.yaml:8:9: spec.steps[0].use.template: step template "missing.yaml" not found — expected a StepTemplate file relative to compat/step-template-errors/',
      "compat/step-template-errors/chainsaw-test.yaml:10:9: spec.steps[1].use.template: compat/step-template-errors/not-a-template.yaml holds no StepTemplate",
    ]);
  });

  it("a step lists its operations or uses a template, not both; without either, try is missing", () => {
    const text = [
      "apiVersion: chainsaw.kyverno.io/v1alpha1",
      "kind: Test",
      "metadata: {name: t}",
      "spec:",
      "  steps:",
      "  - use: {template: template.yaml}",
      "    try: []",
      "  - description: neither",
    ].join("\n");
    const errors = errorsOf(() => loadChainsawText(text, fixture("compat/use.yaml"), context()));
    assert.deepEqual(errors, [
      "compat/use.yaml:7:5: spec.steps[0].try: a step with use takes its try from the template; remove try here, or write the step without use",
      'compat/use.yaml:8:5: spec.steps[1]: missing required field "try" — expected try: [operations], or use: {template: <StepTemplate file>}',
    ]);
  });
});

describe("kuttl CEL assertions", () => {
  it("resourceRefs, assertAll and assertAny become one assert with its expressions, at their lines", () => {
    const suite = discover([`${e2e}kuttl-cel`], { rootDir: e2e });
    const ops = suite.tests[0]?.steps[0]?.try ?? [];
    const assert0 = ops.find((o): o is AssertOperation => o.type === "assert" && o.expressions !== undefined);
    assert.deepEqual(assert0?.expressions?.refs, [
      { apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "kp-kuttl-cel", ref: "cm" },
    ]);
    assert.deepEqual(
      assert0?.expressions?.all.map((e) => [e.expression, e.location.line]),
      [["cm.data.mode == 'fast'", 11]],
    );
    assert.deepEqual(
      assert0?.expressions?.any.map((e) => e.expression),
      ["cm.data.size == '1'", "int(cm.data.replicas) > 1"],
    );
    assert.equal(assert0?.timeoutMs, 30_000);
  });
});

describe("the configuration's compiler", () => {
  it("compiler: cel is read from both of Chainsaw's layouts", () => {
    const grouped = loadConfigText(
      "apiVersion: chainsaw.kyverno.io/v1alpha2\nkind: Configuration\nspec:\n  templating:\n    compiler: cel\n",
      fixture("compat/.chainsaw.yaml"),
      FIXTURES,
    );
    assert.deepEqual(grouped.templating, { enabled: true, compiler: "cel" });
    const flat = loadConfigText(
      "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Configuration\nspec:\n  compiler: cel\n  template: false\n",
      fixture("compat/.chainsaw.yaml"),
      FIXTURES,
    );
    assert.deepEqual(flat.templating, { enabled: false, compiler: "cel" });
  });
});
