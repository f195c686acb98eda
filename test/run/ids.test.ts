import assert from "node:assert/strict";
import { test } from "node:test";
import { loadChainsawText } from "../../src/load/chainsaw.ts";
import type { Test } from "../../src/model/index.ts";
import { artifactsFolderName, testLabelValue } from "../../src/run/labels.ts";
import { parseLocationArg, selectTests } from "../../src/run/plan.ts";
import { context, fixture } from "../load/fixtures.ts";

const TEXT = [
  "apiVersion: chainsaw.kyverno.io/v1alpha1",
  "kind: Test",
  "metadata:",
  "  name: scale-up",
  "spec:",
  "  steps:",
  "    - try:",
  "        - sleep:",
  "            duration: 1s",
  "---",
  "apiVersion: chainsaw.kyverno.io/v1alpha1",
  "kind: Test",
  "metadata:",
  "  name: scale-up",
  "spec:",
  "  steps: []",
  "",
].join("\n");

function load(text: string): Test[] {
  return loadChainsawText(text, fixture("ids/chainsaw-test.yaml"), context());
}

/** What must not move when lines do: the id, the label on cluster objects, the artifacts folder. */
function identity(t: Test | undefined): [string, string, string] | undefined {
  return t && [t.id, testLabelValue(t.id), artifactsFolderName(t, 0)];
}

test("a comment line above a test moves its location, not its id, label value or artifacts folder", () => {
  const [before] = load(TEXT);
  const [after] = load(`# a comment pushes everything down a line\n${TEXT}`);
  assert.equal(before?.id, "ids/chainsaw-test.yaml::scale-up");
  assert.deepEqual(identity(after), identity(before));
  assert.equal(after?.location.line, (before?.location.line ?? 0) + 1);
});

test("path:line still selects a test at its new line; a second test of the same name gets #2", () => {
  const tests = load(`# a comment\n${TEXT}`);
  assert.deepEqual(
    tests.map((t) => [t.id, t.location.line]),
    [
      ["ids/chainsaw-test.yaml::scale-up", 2],
      ["ids/chainsaw-test.yaml::scale-up#2", 12],
    ],
  );
  const at = (arg: string): string[] =>
    selectTests(tests, { locations: [parseLocationArg(arg)] }).map((t) => t.id);
  assert.deepEqual(at("ids/chainsaw-test.yaml:2"), ["ids/chainsaw-test.yaml::scale-up"]);
  assert.deepEqual(at("ids/chainsaw-test.yaml:12"), ["ids/chainsaw-test.yaml::scale-up#2"]);
  assert.deepEqual(at("ids/chainsaw-test.yaml::scale-up#2"), ["ids/chainsaw-test.yaml::scale-up#2"]);
  assert.deepEqual(at("ids/chainsaw-test.yaml:1"), []);
});
