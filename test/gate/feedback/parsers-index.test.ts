import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse, parseOutput } from "../../../src/gate/feedback/parsers/index.ts";
import { prepared, ROOTS } from "./support.ts";

describe("parseOutput (all parsers)", () => {
  it("merges tools in one check: build errors first in output order, duplicates once, make's echo dropped", () => {
    const output = [
      prepared("go/vet.txt", ROOTS.go),
      prepared("go/test.txt", ROOTS.go),
      "make: *** [Makefile:12: test] Error 1",
    ].join("\n");
    const parsed = parseOutput(output);
    assert.deepEqual(
      parsed.buildErrors.map((e) => `${e.tool} ${e.file}:${e.line}:${e.col} ${e.message}`),
      [
        "go vet broken/broken.go:6:25 undefined: sanitize",
        "go vet vetfail/vetfail_test.go:9:27 fmt.Sprintf format %d has arg Name() of wrong type string",
        'go broken/broken.go:10:14 cannot use "zero" (untyped string constant) as int value in variable declaration',
      ],
    );
    assert.deepEqual(
      parsed.failures.map((f) => f.name),
      ["TestTotal", "TestDiscount/ten_percent", "TestStock"],
    );
    assert.equal(parsed.omittedFailures, 0);
    assert.equal(parsed.omittedBuildErrors, 0);
  });

  it("keeps make's recipe error when nothing else explains the failure", () => {
    assert.deepEqual(
      parse(prepared("make/recursive.txt", ROOTS.make)).buildErrors.map((e) => e.file),
      ["sub/Makefile", "Makefile"],
    );
  });

  it("drops the bare `--- FAIL: TestSuite` wrapping Ginkgo specs", () => {
    const { failures } = parse(prepared("ginkgo/verbose.txt", ROOTS.ginkgo));
    assert.equal(failures.length, 4);
    assert.ok(failures.every((f) => f.framework === "ginkgo"));
  });

  it("reports a failure printed by two reporters once", () => {
    const output = `${prepared("node/spec-js.txt", ROOTS.nodeJs)}\n${prepared("node/tap-js.txt", ROOTS.nodeJs)}`;
    assert.deepEqual(
      parse(output).failures.map((f) => [f.name, f.message.split("\n")[0]]),
      [
        ["limits > caps memory", "AssertionError: Expected values to be strictly equal:"],
        ["limits > waits for rollout", "Error: deployment/web not available after 30s"],
        ["hooks", "Error: cannot reach cluster at https://127.0.0.1:6443"],
      ],
    );
  });

  it("caps failures and build errors at 20 and says how many more there were", () => {
    const lines: string[] = [];
    for (let i = 1; i <= 25; i++)
      lines.push(`--- FAIL: TestCase${i} (0.00s)`, `    x_test.go:${i}: case ${i} failed`);
    for (let i = 1; i <= 23; i++) lines.push(`src/x.ts(${i},1): error TS1005: ';' expected.`);
    lines.push("FAIL\texample.com/m\t0.01s");
    const parsed = parseOutput(lines.join("\n"));
    assert.equal(parsed.failures.length, 20);
    assert.equal(parsed.failures[0]?.name, "TestCase1");
    assert.equal(parsed.failures[19]?.name, "TestCase20");
    assert.equal(parsed.omittedFailures, 5);
    assert.equal(parsed.buildErrors.length, 20);
    assert.equal(parsed.omittedBuildErrors, 3);
    assert.equal(parseOutput(lines.join("\n"), { max: 2 }).failures.length, 2);
  });

  it("strips terminal codes itself", () => {
    const { buildErrors } = parse(
      "\x1b[96msrc/a.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m2\x1b[0m - \x1b[91merror\x1b[0m TS1: x\n",
    );
    assert.deepEqual(buildErrors, [{ file: "src/a.ts", line: 1, col: 2, message: "TS1: x", tool: "tsc" }]);
  });

  it("finds nothing in passing output of every tool", () => {
    const output = [
      "ok  \texample.com/m\t0.1s",
      "✔ adds (0.5ms)",
      "ok 1 - adds",
      "PASS src/x.test.js",
      " ✓ src/y.test.ts (3 tests) 4ms",
      "===== 3 passed in 0.01s =====",
      "Ran 4 of 4 Specs in 0.001 seconds",
      "SUCCESS! -- 4 Passed | 0 Failed | 0 Pending | 0 Skipped",
    ].join("\n");
    assert.deepEqual(parse(output), { buildErrors: [], failures: [] });
  });
});
