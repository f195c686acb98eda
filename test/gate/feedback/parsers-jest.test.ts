import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../src/gate/feedback/parsers/jest.ts";
import type { BuildError } from "../../../src/gate/feedback/types.ts";
import { prepared, ROOTS } from "./support.ts";

const tscErrors: BuildError[] = [
  {
    file: "src/cart.ts",
    line: 9,
    col: 9,
    message: "TS2322: Type 'string' is not assignable to type 'number'.",
    tool: "tsc",
  },
  {
    file: "src/cart.ts",
    line: 10,
    col: 43,
    message: "TS2551: Property 'cent' does not exist on type 'Line'. Did you mean 'cents'?",
    tool: "tsc",
  },
];

describe("jest / vitest / tsc / eslint parser", () => {
  it("reads jest: `●` blocks located in the test file, a file that failed to load as a build error", () => {
    assert.deepEqual(parse(prepared("jest/jest.txt", ROOTS.jest)), {
      buildErrors: [
        {
          file: "src/__tests__/syntax.test.js",
          line: 4,
          col: 42,
          message: 'SyntaxError: src/__tests__/syntax.test.js: Unexpected token, expected "," (4:42)',
          tool: "jest",
        },
      ],
      failures: [
        {
          name: "orders › sums line items",
          file: "src/__tests__/orders.test.js",
          line: 5,
          message: "expect(received).toBe(expected) // Object.is equality\n\nExpected: 8\nReceived: 7",
          framework: "jest",
        },
        {
          name: "orders › handles a missing items list",
          file: "src/__tests__/orders.test.js",
          line: 9,
          message: "TypeError: Cannot read properties of undefined (reading 'reduce')",
          framework: "jest",
        },
        {
          name: "orders › status › maps 500",
          file: "src/__tests__/orders.test.js",
          line: 17,
          message:
            'expect(received).toEqual(expected) // deep equality\n\nExpected: "server error"\nReceived: "error"',
          framework: "jest",
        },
      ],
    });
  });

  it("reads coloured vitest output: failed tests with their diffs, a file that failed to import", () => {
    assert.deepEqual(parse(prepared("jest/vitest-color.txt", ROOTS.vitest)), {
      buildErrors: [
        {
          file: "src/broken.test.ts",
          line: 2,
          col: 1,
          message: "Error: Cannot find module './does-not-exist.ts' imported from 'src/broken.test.ts'",
          tool: "vitest",
        },
      ],
      failures: [
        {
          name: "price > formats cents",
          file: "src/price.test.ts",
          line: 6,
          message: [
            "AssertionError: expected '$20.0' to be '$19.99' // Object.is equality",
            "",
            'Expected: "$19.99"',
            'Received: "$20.0"',
          ].join("\n"),
          framework: "vitest",
        },
        {
          name: "price > tags > trims whitespace",
          file: "src/price.test.ts",
          line: 15,
          message: [
            "AssertionError: expected [ 'a', ' b' ] to deeply equal [ 'a', 'b' ]",
            "",
            "- Expected",
            "+ Received",
            "",
            "  [",
            '    "a",',
            '-   "b",',
            '+   " b",',
            "  ]",
          ].join("\n"),
          framework: "vitest",
        },
        {
          // Thrown in src/price.ts; the frame in the test file is the one reported.
          name: "tags from config > handles a missing value",
          file: "src/price.test.ts",
          line: 23,
          message: "TypeError: Cannot read properties of undefined (reading 'split')",
          framework: "vitest",
        },
      ],
    });
  });

  it("falls back to vitest's run list when the detail blocks were cut", () => {
    const text = prepared("jest/vitest-color.txt", ROOTS.vitest);
    const list = text.slice(0, text.indexOf("Failed Suites"));
    assert.deepEqual(parse(list).failures, [
      {
        name: "price > formats cents",
        file: "src/price.test.ts",
        message: "expected '$20.0' to be '$19.99' // Object.is equality",
        framework: "vitest",
      },
      {
        name: "price > tags > trims whitespace",
        file: "src/price.test.ts",
        message: "expected [ 'a', ' b' ] to deeply equal [ 'a', 'b' ]",
        framework: "vitest",
      },
      {
        name: "tags from config > handles a missing value",
        file: "src/price.test.ts",
        message: "Cannot read properties of undefined (reading 'split')",
        framework: "vitest",
      },
    ]);
  });

  it("reads tsc errors in plain form", () => {
    assert.deepEqual(parse(prepared("jest/tsc.txt", ROOTS.vitest)), { buildErrors: tscErrors, failures: [] });
  });

  it("reads tsc --pretty to the same errors (related-information lines are not errors)", () => {
    assert.deepEqual(parse(prepared("jest/tsc-pretty.txt", ROOTS.vitest)), {
      buildErrors: tscErrors,
      failures: [],
    });
  });

  it("keeps tsc's elaboration lines and reports errors without a file", () => {
    const out = [
      "src/a.ts(3,7): error TS2322: Type '{ x: string; }' is not assignable to type 'P'.",
      "  Types of property 'x' are incompatible.",
      "    Type 'string' is not assignable to type 'number'.",
      "error TS5083: Cannot read file '/repo/tsconfig.base.json'.",
    ].join("\n");
    assert.deepEqual(parse(out).buildErrors, [
      {
        file: "src/a.ts",
        line: 3,
        col: 7,
        message: [
          "TS2322: Type '{ x: string; }' is not assignable to type 'P'.",
          "Types of property 'x' are incompatible.",
          "Type 'string' is not assignable to type 'number'.",
        ].join("\n"),
        tool: "tsc",
      },
      { message: "TS5083: Cannot read file '/repo/tsconfig.base.json'.", tool: "tsc" },
    ]);
  });

  it("reads eslint's errors with their rule, not its warnings", () => {
    assert.deepEqual(parse(prepared("jest/eslint.txt", ROOTS.vitest)), {
      buildErrors: [
        {
          file: "src/legacy.js",
          line: 1,
          col: 10,
          message: "'readFileSync' is defined but never used (no-unused-vars)",
          tool: "eslint",
        },
        {
          file: "src/legacy.js",
          line: 5,
          col: 9,
          message: "'unused' is assigned a value but never used (no-unused-vars)",
          tool: "eslint",
        },
        {
          file: "src/legacy.js",
          line: 6,
          col: 15,
          message: "Expected '===' and instead saw '==' (eqeqeq)",
          tool: "eslint",
        },
        {
          file: "src/legacy.js",
          line: 7,
          col: 21,
          message: "'readFle' is not defined (no-undef)",
          tool: "eslint",
        },
      ],
      failures: [],
    });
  });

  it("reads an eslint parsing error, which has no rule", () => {
    const out =
      "\nsrc/x.ts\n  4:12  error  Parsing error: ',' expected\n\n✖ 1 problem (1 error, 0 warnings)\n";
    assert.deepEqual(parse(out).buildErrors, [
      { file: "src/x.ts", line: 4, col: 12, message: "Parsing error: ',' expected", tool: "eslint" },
    ]);
  });
});
