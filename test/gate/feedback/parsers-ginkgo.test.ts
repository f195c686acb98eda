import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../src/gate/feedback/parsers/ginkgo.ts";
import type { TestFailure } from "../../../src/gate/feedback/types.ts";
import { prepared, ROOTS } from "./support.ts";

const quotaMessage = [
  "reconcile should tolerate big widgets",
  "Unexpected error:",
  "    <*errors.errorString | ADDRESS>:",
  '    quota exceeded: widgets.example.com "big" wants 5 replicas, limit 3',
  "    {",
  '        s: "quota exceeded: widgets.example.com \\"big\\" wants 5 replicas, limit 3",',
  "    }",
  "occurred",
].join("\n");

function expected(address: string): TestFailure[] {
  return [
    {
      name: "Widget controller when a widget is created creates the deployment with the requested replicas",
      file: "controllers/widget_test.go",
      line: 22,
      message: "Expected\n    <int>: 1\nto equal\n    <int>: 2",
      framework: "ginkgo",
    },
    {
      name: "Widget controller when the quota is exceeded reports a quota error",
      file: "controllers/widget_test.go",
      line: 31,
      message: quotaMessage.replace("ADDRESS", address),
      framework: "ginkgo",
    },
    {
      // Panicked inside the Go runtime: the spec's own location is the useful one.
      name: "Widget controller deletion removes the finalizer",
      file: "controllers/widget_test.go",
      line: 35,
      message: "Test Panicked: assignment to entry in nil map",
      framework: "ginkgo",
    },
    {
      // Failed in a BeforeEach: located there, named without the node markers (as --focus wants).
      name: "Gadget webhook rejects an invalid gadget",
      file: "controllers/gadget_test.go",
      line: 11,
      message: "webhook server is not ready\nExpected\n    <bool>: false\nto be true",
      framework: "ginkgo",
    },
  ];
}

describe("ginkgo parser", () => {
  it("reads the failure blocks of a coloured `go test` run", () => {
    assert.deepEqual(parse(prepared("ginkgo/go-test-color.txt", ROOTS.ginkgo)), {
      buildErrors: [],
      failures: expected("0x291b99e2a410"),
    });
  });

  it("reads a verbose run, ignoring the one-line `[FAILED] in [It]` previews", () => {
    assert.deepEqual(parse(prepared("ginkgo/verbose.txt", ROOTS.ginkgo)), {
      buildErrors: [],
      failures: expected("0x2fb6877c44f0"),
    });
  });

  it("falls back to the summary when the blocks were cut from the log", () => {
    const text = prepared("ginkgo/verbose.txt", ROOTS.ginkgo);
    const summary = text.slice(text.indexOf("Summarizing 4 Failures:"));
    assert.deepEqual(
      parse(summary).failures.map((f) => [f.name, f.file, f.line, f.message]),
      [
        [
          "Widget controller when a widget is created creates the deployment with the requested replicas",
          "controllers/widget_test.go",
          22,
          "",
        ],
        [
          "Widget controller when the quota is exceeded reports a quota error",
          "controllers/widget_test.go",
          31,
          "",
        ],
        // The summary only has the runtime's location for a panic: no repository location at all.
        ["Widget controller deletion removes the finalizer", undefined, undefined, ""],
        ["Gadget webhook rejects an invalid gadget", "controllers/gadget_test.go", 11, ""],
      ],
    );
  });

  it("locates a panic by the first repository frame of the full stack trace", () => {
    const block = [
      "------------------------------",
      "• [PANICKED] [0.001 seconds]",
      "Store [It] adds",
      "store/store_test.go:12",
      "",
      "  [PANICKED] Test Panicked",
      "  In [It] at: /usr/local/go/src/runtime/panic.go:115 @ 01/02/26 10:00:00.000",
      "",
      "  runtime error: invalid memory address or nil pointer dereference",
      "",
      "  Full Stack Trace",
      "    example.com/m/store.(*Store).Add(...)",
      "    \tstore/store.go:9",
      "    example.com/m/store.init.func1.1()",
      "    \tstore/store_test.go:14 +0x1d",
      "------------------------------",
    ].join("\n");
    assert.deepEqual(parse(block).failures, [
      {
        name: "Store adds",
        file: "store/store.go",
        line: 9,
        message: "Test Panicked: runtime error: invalid memory address or nil pointer dereference",
        framework: "ginkgo",
      },
    ]);
  });
});
