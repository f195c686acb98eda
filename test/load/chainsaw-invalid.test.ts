import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadChainsawFile } from "../../src/load/chainsaw.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { context, fixture } from "./fixtures.ts";

/**
 * Invalid inputs and the exact messages they produce: file:line:col, the field, what is wrong,
 * what was expected and what to do. These strings are the user interface; change them on purpose.
 */
const CASES: [string, string[]][] = [
  [
    "api-version.yaml",
    [
      'invalid/api-version.yaml:1:1: unsupported apiVersion "chainsaw.kyverno.io/v1alpha2" — expected chainsaw.kyverno.io/v1alpha1 or kubeproof.dev/v1alpha1',
      'invalid/api-version.yaml:9:1: unexpected kind "ConfigMap" in a test file — expected kind: Test',
    ],
  ],
  [
    "apply-in-catch.yaml",
    [
      'invalid/apply-in-catch.yaml:11:7: spec.steps[0].catch[0]: unknown field "apply" — expected one of command, delete, describe, events, get, podLogs, script, sleep, wait, description, …; catch runs only collectors and clean-up operations; move apply to try',
    ],
  ],
  [
    "bad-duration.yaml",
    [
      "invalid/bad-duration.yaml:7:5: spec.timeouts.apply: invalid value 30 — expected a duration such as 30s, 1m30s or 500ms",
      'invalid/bad-duration.yaml:12:9: spec.steps[0].try[0].script.timeout: invalid duration "5 seconds" — expected a duration such as 30s, 1m30s or 500ms',
    ],
  ],
  [
    "bad-manifest.yaml",
    [
      "invalid/bad-manifest.yaml:13:9: spec.steps[0].try[2].create.resource: resource has no apiVersion and no kind — expected a Kubernetes object with apiVersion and kind",
      'invalid/broken.yaml:4:12: Missing closing "quote — expected valid YAML',
      "invalid/no-kind.yaml:1:1: resource has no kind — expected a Kubernetes object with apiVersion and kind",
    ],
  ],
  [
    "bindings.yaml",
    [
      'invalid/bindings.yaml:7:5: spec.bindings[0].name: binding name "client" is reserved — expected a name other than client, config, error, values, stdout, stderr',
      'invalid/bindings.yaml:9:5: spec.bindings[1].name: invalid binding name "my-binding" — expected a word made of letters, digits and _ (used as $name), or a (jmespath) expression',
      'invalid/bindings.yaml:11:5: spec.bindings[2]: missing required field "value"',
      "invalid/bindings.yaml:18:11: spec.steps[0].try[0].script.env[0].value: unexpected mapping — expected a string, number or boolean (strings may be (expressions))",
    ],
  ],
  ["broken.yaml", ['invalid/broken.yaml:4:12: Missing closing "quote — expected valid YAML']],
  [
    "comment-only.yaml",
    [
      "invalid/comment-only.yaml:1:1: found no test in this file — expected a document with kind: Test and apiVersion chainsaw.kyverno.io/v1alpha1 or kubeproof.dev/v1alpha1",
    ],
  ],
  [
    "configmap.yaml",
    ['invalid/configmap.yaml:2:1: unexpected kind "ConfigMap" in a test file — expected kind: Test'],
  ],
  [
    "empty.yaml",
    [
      "invalid/empty.yaml:1:1: found no test in this file — expected a document with kind: Test and apiVersion chainsaw.kyverno.io/v1alpha1 or kubeproof.dev/v1alpha1",
    ],
  ],
  [
    "enum-typo.yaml",
    [
      'invalid/enum-typo.yaml:6:3: spec.deletionPropagationPolicy: invalid value "background" — expected one of Orphan, Background, Foreground; did you mean "Background"?',
      'invalid/enum-typo.yaml:12:9: spec.steps[0].try[0].get.format: invalid value "jsn" — expected one of json, yaml; did you mean "json"?',
    ],
  ],
  [
    "extension.yaml",
    [
      'invalid/extension.yaml:10:9: spec.steps[0].try[0].assert.listMatch: "listMatch" is a kubeproof extension and is not part of Chainsaw\'s format; set apiVersion: kubeproof.dev/v1alpha1 to use kubeproof extensions',
    ],
  ],
  [
    "missing-file.yaml",
    [
      'invalid/missing-file.yaml:9:9: spec.steps[0].try[0].apply: file "configmap.yml" not found — expected a path relative to invalid/; did you mean "configmap.yaml"?',
    ],
  ],
  [
    "missing-required.yaml",
    [
      'invalid/missing-required.yaml:8:7: spec.steps[0].try[0].sleep: missing required field "duration" — expected a duration such as 30s, 1m30s or 500ms',
      'invalid/missing-required.yaml:9:7: spec.steps[0].try[1].wait: missing required field "for"',
    ],
  ],
  ["no-kind.yaml", ['invalid/no-kind.yaml:1:1: missing required field "kind" — expected kind: Test']],
  ["syntax.yaml", ['invalid/syntax.yaml:9:22: Missing closing "quote — expected valid YAML']],
  [
    "top-level.yaml",
    [
      'invalid/top-level.yaml:6:3: spec: unknown field "step" — expected one of steps, description, bindings, timeouts, namespace, namespaceTemplate, concurrent, skip, skipDelete, template, …; did you mean "steps"?',
      'invalid/top-level.yaml:8:3: spec: unknown field "concurent" — expected one of steps, description, bindings, timeouts, namespace, namespaceTemplate, concurrent, skip, skipDelete, template, …; did you mean "concurrent"?',
    ],
  ],
  [
    "two-actions.yaml",
    [
      "invalid/two-actions.yaml:8:7: spec.steps[0].try[0]: an operation has exactly one action, found apply and assert; split them into separate list items (- apply: … / - assert: …)",
      "invalid/two-actions.yaml:12:7: spec.steps[0].try[1]: an operation needs an action — expected one of apply, assert, command, create, delete, describe, error, events, get, lookup, patch, podLogs, script, sleep, update, wait",
    ],
  ],
  [
    "unknown-field.yaml",
    [
      'invalid/unknown-field.yaml:11:9: spec.steps[0].try[1].apply: unknown field "fle" — expected one of file, resource, template, timeout, bindings, cluster, clusters, outputs, dryRun, expect, …; did you mean "file"?',
    ],
  ],
  [
    "unsupported.yaml",
    [
      "invalid/unsupported.yaml:9:5: spec.steps[0].try: a step with use takes its try from the template; remove try here, or write the step without use",
      'invalid/unsupported.yaml:12:9: spec.steps[1].try[0].script: unknown field "compiler" — expected one of timeout, bindings, outputs, cluster, clusters, env, skipLogOutput, skipCommandOutput, check, workDir, …',
    ],
  ],
];

function errorsOf(rel: string): string[] {
  try {
    loadChainsawFile(fixture(rel), context());
  } catch (err) {
    if (err instanceof LoadErrors) return err.errors.map((e) => e.format());
    throw err;
  }
  return [];
}

describe("invalid test files", () => {
  for (const [name, expected] of CASES) {
    it(name, () => {
      assert.deepEqual(errorsOf(`invalid/${name}`), expected);
    });
  }

  it("reports every problem of a file in one LoadErrors whose message lists them all", () => {
    assert.throws(
      () => loadChainsawFile(fixture("invalid/bad-duration.yaml"), context()),
      (err: unknown) =>
        err instanceof LoadErrors &&
        err.errors.length === 2 &&
        err.message.split("\n").length === 2 &&
        err.errors[0]?.path === "spec.timeouts.apply" &&
        err.errors[0]?.expected === "a duration such as 30s, 1m30s or 500ms",
    );
  });

  it("reports an unreadable file without a position", () => {
    assert.deepEqual(
      errorsOf("invalid/does-not-exist.yaml").map((m) => m.replace(/: ENOENT.*/, "")),
      ["invalid/does-not-exist.yaml: cannot read file"],
    );
  });
});
