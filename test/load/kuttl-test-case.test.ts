import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { discover } from "../../src/load/discover.ts";
import { kuttlLoader } from "../../src/load/kuttl.ts";
import { selectorMatches } from "../../src/load/kuttl-case.ts";
import { parseRunLabels } from "../../src/load/kuttl-labels.ts";
import { formatLocation, type Test } from "../../src/model/index.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { context, FIXTURES, fixture } from "./fixtures.ts";

/**
 * kuttl's `test-case.yaml` (kind TestCase, with a testRunSelector for the whole test case), the
 * `--test-run-labels` it and TestFile match, and kuttl's load-time CEL check.
 */

function load(rel: string, testRunLabels?: Record<string, string>): Test[] {
  return discover([fixture(rel)], { rootDir: FIXTURES, ...(testRunLabels ? { testRunLabels } : {}) }).tests;
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

describe("kuttl test-case.yaml", () => {
  it("a folder whose only kuttl file is a TestCase is a test case, with no steps", () => {
    const warnings: unknown[] = [];
    const suite = discover([fixture("kuttl-case/only-case")], { rootDir: FIXTURES });
    warnings.push(...(suite.warnings ?? []));
    assert.deepEqual(
      suite.tests.map((t) => [t.id, formatLocation(t.location), t.steps.length, t.skip]),
      [["kuttl-case/only-case::only-case", "kuttl-case/only-case/test-case.yaml:1:1", 0, false]],
    );
    // test-case.yaml is read, so it is not warned about as a file nothing runs.
    assert.deepEqual(warnings, []);
    assert.equal(kuttlLoader.detect(fixture("kuttl-case/only-case"), context()), true);
  });

  it("its testRunSelector leaves the test case out of a run whose labels it does not match", () => {
    const [unlabelled] = load("kuttl-case/selected");
    assert.ok(unlabelled);
    assert.equal(unlabelled.skip, true);
    assert.equal(
      unlabelled.skipReason,
      "testRunSelector key=value (kuttl-case/selected/test-case.yaml) does not match this run (no --test-run-labels)",
    );
    // The steps are still loaded (and checked), as for any skipped test.
    assert.deepEqual(
      unlabelled.steps.map((s) => s.name),
      ["00-install"],
    );
    const [other] = load("kuttl-case/selected", { key: "other" });
    assert.equal(other?.skipReason?.endsWith("does not match --test-run-labels key=other"), true);
    const [labelled] = load("kuttl-case/selected", { key: "value", more: "x" });
    assert.equal(labelled?.skip, false);
    assert.equal(labelled?.skipReason, undefined);
  });

  it("matches matchExpressions as Kubernetes selectors do", () => {
    const skipped = (labels: Record<string, string>) => load("kuttl-case/expressions", labels)[0]?.skip;
    assert.equal(skipped({ flavor: "vanilla" }), false);
    assert.equal(skipped({ flavor: "chocolate" }), false);
    assert.equal(skipped({ flavor: "strawberry" }), true);
    assert.equal(skipped({}), true);
    assert.equal(skipped({ flavor: "vanilla", slow: "" }), true);
  });

  it("a test-case.yaml without a kuttl TestCase makes no test case", () => {
    assert.equal(kuttlLoader.detect(fixture("kuttl-case/not-kuttl"), context()), false);
    assert.deepEqual(load("kuttl-case/not-kuttl"), []);
  });

  it("selectors: every operator, and an absent or empty selector selects every run", () => {
    assert.equal(selectorMatches(undefined, {}), true);
    assert.equal(selectorMatches({}, { a: "b" }), true);
    const req = (operator: "In" | "NotIn" | "Exists" | "DoesNotExist", values?: string[]) => ({
      matchExpressions: [{ key: "k", operator, values }],
    });
    assert.equal(selectorMatches(req("In", ["v"]), { k: "v" }), true);
    assert.equal(selectorMatches(req("In", ["v"]), {}), false);
    assert.equal(selectorMatches(req("NotIn", ["v"]), {}), true);
    assert.equal(selectorMatches(req("NotIn", ["v"]), { k: "v" }), false);
    assert.equal(selectorMatches(req("Exists"), { k: "" }), true);
    assert.equal(selectorMatches(req("Exists"), {}), false);
    assert.equal(selectorMatches(req("DoesNotExist"), {}), true);
    assert.equal(selectorMatches(req("DoesNotExist"), { k: "x" }), false);
    assert.equal(selectorMatches({ matchLabels: { k: "" } }, {}), false);
    assert.equal(selectorMatches({ matchLabels: { k: "" } }, { k: "" }), true);
  });

  it("TestFile selectors match the run's labels too", () => {
    const [test] = load("kuttl/testfile", { flavor: "vanilla" });
    const create = test?.steps[0]?.try.find((op) => op.type === "apply");
    assert.ok(create?.type === "apply");
    assert.deepEqual(
      create.resources.map((r) => (r.value as { metadata: { name: string } }).metadata.name),
      ["vanilla-only", "kept"],
    );
  });
});

describe("--test-run-labels", () => {
  it("reads key=value pairs as kuttl's ConvertSelectorToLabelsMap does", () => {
    assert.deepEqual(parseRunLabels(""), {});
    assert.deepEqual(parseRunLabels("a=b, c = d,e="), { a: "b", c: "d", e: "" });
    assert.deepEqual(parseRunLabels("a=1,a=2"), { a: "2" });
    assert.deepEqual(parseRunLabels("example.com/tier=gold"), { "example.com/tier": "gold" });
  });

  it("refuses what is not a label", () => {
    assert.throws(() => parseRunLabels("a"), /invalid label "a": expected key=value/);
    assert.throws(() => parseRunLabels("a==b"), /expected key=value/);
    assert.throws(() => parseRunLabels("a=b,"), /invalid label "": expected key=value/);
    assert.throws(() => parseRunLabels("-a=b"), /invalid label key "-a"/);
    assert.throws(() => parseRunLabels("a=b c"), /invalid label value "b c"/);
  });
});

describe("kuttl TestCase and CEL mistakes are reported with file:line:col", () => {
  const cases: [string, string[]][] = [
    [
      "kuttl-case-invalid/typo",
      [
        'kuttl-case-invalid/typo/test-case.yaml:3:1: unknown field "testRunSelecter" — expected one of apiVersion, metadata, kind, testRunSelector; did you mean "testRunSelector"?',
      ],
    ],
    [
      "kuttl-case-invalid/selector",
      [
        "kuttl-case-invalid/selector/test-case.yaml:5:5: testRunSelector.matchLabels[\"bad key!\"]: invalid label key \"bad key!\": a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        "kuttl-case-invalid/selector/test-case.yaml:7:7: testRunSelector.matchExpressions[0].values: operator In needs at least one value",
        "kuttl-case-invalid/selector/test-case.yaml:11:7: testRunSelector.matchExpressions[1].values: operator Exists takes no values",
      ],
    ],
    [
      "kuttl-case-invalid/extra",
      [
        "kuttl-case-invalid/extra/test-case.yaml:5:1: test-case.yaml holds one TestCase — expected apiVersion: kuttl.dev/v1beta1, kind: TestCase; put objects to apply in a step file (00-<name>.yaml)",
      ],
    ],
    [
      "kuttl-case-invalid/cel-undeclared",
      [
        "kuttl-case-invalid/cel-undeclared/00-assert.yaml:12:5: assertAll[1].celExpr: invalid CEL: undeclared reference to 'badVariable' — expected an expression over the resourceRefs: coredns",
        "kuttl-case-invalid/cel-undeclared/00-assert.yaml:15:5: assertAny[1].celExpr: invalid CEL: no such overload: int + string — expected an expression over the resourceRefs: coredns",
      ],
    ],
  ];
  for (const [path, expected] of cases) {
    it(path, () => {
      assert.deepEqual(loadErrors(path), expected);
    });
  }
});
