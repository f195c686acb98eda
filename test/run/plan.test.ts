import assert from "node:assert/strict";
import { test } from "node:test";
import type { AssertOperation, Test } from "../../src/model/index.ts";
import {
  parseLocationArg,
  parseSelector,
  parseShard,
  selectTests,
  SelectionError,
} from "../../src/run/plan.ts";
import { operationTimeout } from "../../src/run/timeouts.ts";
import { defaultConfig } from "../../src/config/config-schema.ts";
import { newRunId, slug, testLabelValue } from "../../src/run/labels.ts";

function fakeTest(
  at: string,
  name: string,
  labels: Record<string, string> = {},
  stepLines: number[] = [],
): Test {
  const [file, line] = at.split(":");
  const location = { file: file, line: Number(line), col: 1 };
  return {
    id: `${file}::${name}`,
    name,
    location,
    format: "chainsaw",
    labels,
    timeouts: {},
    bindings: [],
    skip: false,
    concurrent: true,
    catch: [],
    steps: stepLines.map((l, i) => ({
      name: `step-${i + 1}`,
      location: { ...location, line: l },
      timeouts: {},
      bindings: [],
      try: [],
      catch: [],
      finally: [],
      cleanup: [],
    })),
  };
}

const tests = [
  fakeTest("e2e/b.yaml:1", "bravo", { tier: "slow" }),
  fakeTest("e2e/a.yaml:10", "alpha", { tier: "fast", team: "x" }, [14, 30]),
  fakeTest("e2e/a.yaml:1", "alpha-setup", { tier: "fast" }),
];

test("tests run in file order: by file, then line compared as a number", () => {
  assert.deepEqual(
    selectTests(tests, {}).map((t) => t.id),
    ["e2e/a.yaml::alpha-setup", "e2e/a.yaml::alpha", "e2e/b.yaml::bravo"],
  );
});

test("a test id selects that test alone; parseLocationArg tells ids, path:line and paths apart", () => {
  assert.deepEqual(parseLocationArg("e2e/a.yaml::alpha"), { file: "e2e/a.yaml", id: "e2e/a.yaml::alpha" });
  assert.deepEqual(parseLocationArg("e2e/a.yaml:10"), { file: "e2e/a.yaml", line: 10 });
  assert.deepEqual(parseLocationArg("e2e"), { file: "e2e" });
  assert.deepEqual(
    selectTests(tests, { locations: [parseLocationArg("./e2e/a.yaml::alpha")] }).map((t) => t.name),
    ["alpha"],
  );
  assert.deepEqual(
    selectTests(tests, {
      locations: [parseLocationArg("e2e/a.yaml::alpha"), parseLocationArg("e2e/b.yaml")],
    }).map((t) => t.name),
    ["alpha", "bravo"],
  );
});

test("path:line selects the test starting there or the test holding a step there; a path selects the file", () => {
  assert.deepEqual(
    selectTests(tests, { locations: [parseLocationArg("e2e/a.yaml:10")] }).map((t) => t.name),
    ["alpha"],
  );
  assert.deepEqual(
    selectTests(tests, { locations: [parseLocationArg("./e2e/a.yaml:30")] }).map((t) => t.name),
    ["alpha"],
  );
  assert.deepEqual(
    selectTests(tests, { locations: [parseLocationArg("e2e/a.yaml")] }).map((t) => t.name),
    ["alpha-setup", "alpha"],
  );
});

test("label selectors: equality, inequality, existence and its negation", () => {
  const names = (selector: string): string[] => selectTests(tests, { selector }).map((t) => t.name);
  assert.deepEqual(names("tier=fast"), ["alpha-setup", "alpha"]);
  assert.deepEqual(names("tier!=fast"), ["bravo"]);
  assert.deepEqual(names("team"), ["alpha"]);
  assert.deepEqual(names("!team,tier==fast"), ["alpha-setup"]);
  assert.throws(() => parseSelector("tier>1"), SelectionError);
});

test("shards are disjoint, cover everything, and reject nonsense", () => {
  const all = selectTests(tests, {}).map((t) => t.id);
  const parts = [1, 2].map((index) => selectTests(tests, { shard: { index, total: 2 } }).map((t) => t.id));
  assert.deepEqual([...parts[0], ...parts[1]].sort(), [...all].sort());
  assert.throws(() => parseShard("0/2"), /--shard expects i\/n/);
  assert.throws(() => parseShard("2"), /--shard expects i\/n/);
});

test("timeouts: the operation's own, else step, test, configuration; --timeout-multiplier scales them", () => {
  const config = defaultConfig();
  const test = fakeTest("a.yaml:1", "t", {}, [2]);
  const step = test.steps[0];
  const assertOp: AssertOperation = {
    type: "assert",
    location: test.location,
    bindings: [],
    outputs: [],
    template: true,
    continueOnError: false,
    resources: [],
    listMatch: "exact",
    mode: "eventually",
  };
  assert.equal(operationTimeout(assertOp, step, test, config, 1), config.timeouts.assert);
  assert.equal(operationTimeout(assertOp, step, { ...test, timeouts: { assert: 5000 } }, config, 1), 5000);
  assert.equal(
    operationTimeout(
      assertOp,
      { ...step, timeouts: { assert: 7000 } },
      { ...test, timeouts: { assert: 5000 } },
      config,
      1,
    ),
    7000,
  );
  assert.equal(
    operationTimeout(
      { ...assertOp, timeoutMs: 100 },
      { ...step, timeouts: { assert: 7000 } },
      test,
      config,
      2.5,
    ),
    250,
  );
});

test("run ids sort by time and test labels are valid label values", () => {
  const early = newRunId(new Date("2026-01-01T00:00:00Z"));
  const late = newRunId(new Date("2026-01-01T00:00:01Z"));
  assert.ok(early < late);
  assert.match(testLabelValue("e2e/a.yaml:10"), /^[0-9a-f]{16}$/);
  assert.equal(slug("My Test: Scale OUT!"), "my-test-scale-out");
  assert.equal(slug("***"), "test");
});
