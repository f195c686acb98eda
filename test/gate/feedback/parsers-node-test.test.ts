import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../src/gate/feedback/parsers/node-test.ts";
import type { TestFailure } from "../../../src/gate/feedback/types.ts";
import { prepared, ROOTS } from "./support.ts";

/** tsx-run TypeScript tests: declared locations are wrong (`1:203`), stack frames are right. */
const tsFailures: TestFailure[] = [
  {
    name: "top-level truthiness",
    file: "test/plain.test.ts",
    line: 5,
    message: "AssertionError: zero should be truthy here",
    framework: "node-test",
  },
  {
    // Thrown in src/quota.ts, reported at the test's own line that called it.
    name: "quota > rejects garbage",
    file: "test/quota.test.ts",
    line: 11,
    message: 'RangeError: invalid quota "twelve": expected an integer',
    framework: "node-test",
  },
  {
    name: "quota > arithmetic > adds small numbers",
    file: "test/quota.test.ts",
    line: 16,
    message: "AssertionError: Expected values to be strictly equal:\n\n5 !== 4",
    framework: "node-test",
  },
  {
    name: "quota > arithmetic > adds objects",
    file: "test/quota.test.ts",
    line: 19,
    message: [
      "AssertionError: Expected values to be strictly deep-equal:",
      "+ actual - expected",
      "",
      "  {",
      "    total: 2,",
      "+   unit: 'cpu'",
      "-   unit: 'mem'",
      "  }",
    ].join("\n"),
    framework: "node-test",
  },
];

const capsMemory: TestFailure = {
  name: "limits > caps memory",
  file: "test/limits.test.js",
  line: 7,
  message:
    "AssertionError: Expected values to be strictly equal:\n+ actual - expected\n\n+ '256Mi'\n- '512Mi'",
  framework: "node-test",
};

describe("node --test parser", () => {
  it("reads the spec reporter, with suite names and the failing-tests summary merged in", () => {
    assert.deepEqual(parse(prepared("node/spec-tsx.txt", ROOTS.nodeTs)), {
      buildErrors: [],
      failures: tsFailures,
    });
  });

  it("reads TAP to the same result, skipping suites that failed only through their tests", () => {
    assert.deepEqual(parse(prepared("node/tap-tsx.txt", ROOTS.nodeTs)), {
      buildErrors: [],
      failures: tsFailures,
    });
  });

  it("reads spec output of JavaScript tests (file:// frames), reporting a failed hook, not the tests it cancelled", () => {
    assert.deepEqual(parse(prepared("node/spec-js.txt", ROOTS.nodeJs)), {
      buildErrors: [],
      failures: [
        capsMemory,
        {
          name: "limits > waits for rollout",
          file: "test/limits.test.js",
          line: 11,
          message: "Error: deployment/web not available after 30s",
          framework: "node-test",
        },
        {
          name: "hooks",
          file: "test/limits.test.js",
          line: 17,
          message: "Error: cannot reach cluster at https://127.0.0.1:6443",
          framework: "node-test",
        },
      ],
    });
  });

  it("reads TAP of the same run (TAP gives the error name only for some errors)", () => {
    assert.deepEqual(parse(prepared("node/tap-js.txt", ROOTS.nodeJs)), {
      buildErrors: [],
      failures: [
        capsMemory,
        {
          name: "limits > waits for rollout",
          file: "test/limits.test.js",
          line: 11,
          message: "deployment/web not available after 30s",
          framework: "node-test",
        },
        {
          name: "hooks",
          file: "test/limits.test.js",
          line: 17,
          message: "cannot reach cluster at https://127.0.0.1:6443",
          framework: "node-test",
        },
      ],
    });
  });

  it("uses only the summary when the start of the log was cut", () => {
    const text = prepared("node/spec-js.txt", ROOTS.nodeJs);
    const summary = text.slice(text.indexOf("✖ failing tests:"));
    assert.deepEqual(
      parse(summary).failures.map((f) => [f.name, f.file, f.line]),
      [
        ["caps memory", "test/limits.test.js", 7],
        ["waits for rollout", "test/limits.test.js", 11],
        ["hooks", "test/limits.test.js", 17],
      ],
    );
  });

  it("does not take eslint's `✖ 2 problems` for a test", () => {
    assert.deepEqual(parse("✖ 2 problems (2 errors, 0 warnings)\n"), { buildErrors: [], failures: [] });
  });
});
