import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../src/gate/feedback/parsers/go.ts";
import type { TestFailure } from "../../../src/gate/feedback/types.ts";
import { fixture, prepared, ROOTS } from "./support.ts";

const cartFailures: TestFailure[] = [
  {
    name: "TestTotal",
    file: "cart/cart_test.go",
    line: 7,
    message: "Total([1 2 3]) = 5, want 6",
    framework: "go",
  },
  {
    name: "TestDiscount/ten_percent",
    file: "cart/cart_test.go",
    line: 20,
    message: "Discount(100, 10) mismatch:\ngot:  89\nwant: 90",
    framework: "go",
  },
];

// The panic's first frame in the repository, not the test that called it.
const panicFailure: TestFailure = {
  name: "TestStock",
  file: "inventory/inventory.go",
  line: 8,
  message: "panic: assignment to entry in nil map",
  framework: "go",
};

describe("go parser", () => {
  it("reads `go test ./...`: compile errors, vet findings, failures with subtests, a panic", () => {
    assert.deepEqual(parse(prepared("go/test.txt", ROOTS.go)), {
      buildErrors: [
        { file: "broken/broken.go", line: 6, col: 25, message: "undefined: sanitize", tool: "go" },
        {
          file: "broken/broken.go",
          line: 10,
          col: 14,
          message: 'cannot use "zero" (untyped string constant) as int value in variable declaration',
          tool: "go",
        },
        {
          file: "vetfail/vetfail_test.go",
          line: 9,
          col: 27,
          message: "fmt.Sprintf format %d has arg Name() of wrong type string",
          tool: "go vet",
        },
      ],
      failures: [...cartFailures, panicFailure],
    });
  });

  it("reads `go test -v`, where messages follow `=== RUN` and passing tests' output is dropped", () => {
    assert.deepEqual(parse(prepared("go/test-verbose.txt", ROOTS.go)), {
      buildErrors: [],
      failures: [...cartFailures, panicFailure],
    });
  });

  it("reads `go vet ./...`, including type errors vet reports with a `vet:` prefix", () => {
    assert.deepEqual(parse(prepared("go/vet.txt", ROOTS.go)), {
      buildErrors: [
        { file: "broken/broken.go", line: 6, col: 25, message: "undefined: sanitize", tool: "go vet" },
        {
          file: "vetfail/vetfail_test.go",
          line: 9,
          col: 27,
          message: "fmt.Sprintf format %d has arg Name() of wrong type string",
          tool: "go vet",
        },
      ],
      failures: [],
    });
  });

  it("reads a test timeout: the running test, located in its own goroutine", () => {
    assert.deepEqual(parse(prepared("go/timeout.txt", ROOTS.go)), {
      buildErrors: [],
      failures: [
        {
          name: "TestWaitsForever",
          file: "slow/slow_test.go",
          line: 10,
          message: "panic: test timed out after 2s",
          framework: "go",
        },
      ],
    });
  });

  it("maps test files to package directories with the module path when nothing else tells it", () => {
    const cartOnly =
      fixture("go/test.txt").split("--- FAIL: TestStock")[0]?.split("FAIL\texample.com/shop/broken")[1] ?? "";
    assert.deepEqual(
      parse(cartOnly).failures.map((f) => f.file),
      ["cart_test.go", "cart_test.go"],
    );
    assert.deepEqual(
      parse(cartOnly, { goModule: "example.com/shop" }).failures.map((f) => f.file),
      ["cart/cart_test.go", "cart/cart_test.go"],
    );
  });

  it("without relativized paths, still locates a panic in a non-standard-library frame", () => {
    const { failures } = parse(fixture("go/test.txt"));
    assert.deepEqual(failures[2], { ...panicFailure, file: `${ROOTS.go}/inventory/inventory.go` });
  });

  it("keeps a failure that printed nothing, and drops a parent that failed only through its subtest", () => {
    const out = [
      "--- FAIL: TestParent (0.00s)",
      "    --- FAIL: TestParent/child (0.00s)",
      "        x_test.go:5: boom",
      "--- FAIL: TestSilent (0.00s)",
      "FAIL",
      "FAIL\texample.com/m\t0.01s",
    ].join("\n");
    assert.deepEqual(parse(out).failures, [
      { name: "TestParent/child", file: "x_test.go", line: 5, message: "boom", framework: "go" },
      { name: "TestSilent", message: "", framework: "go" },
    ]);
  });

  it("does not take log lines with a file name for compile errors, nor `go: downloading`", () => {
    const out =
      "go: downloading github.com/x/y v1.0.0\nserver.go:45: listening on :8080\nok  \texample.com/m\t0.1s\n";
    assert.deepEqual(parse(out), { buildErrors: [], failures: [] });
  });

  it("reports go command errors", () => {
    const out = "go: updates to go.mod needed; to update it:\n\tgo mod tidy\n";
    assert.deepEqual(parse(out).buildErrors, [
      { message: "go: updates to go.mod needed; to update it:", tool: "go" },
    ]);
  });
});
