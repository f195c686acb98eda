import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Bindings } from "../../src/template/bindings.ts";
import { evaluate } from "../../src/template/jmespath.ts";

const run = (expression: string): unknown => evaluate(expression, null, Bindings.empty());

// Expected values are the cases of kyverno-json pkg/jp/kyverno/arithmetic_test.go (Chainsaw's functions).
const OK: [string, unknown][] = [
  ["add(`12`, `13`)", 25],
  ["add('12Ki', '13Ki')", "25Ki"],
  ["add('12Ki', '13')", "12301"],
  ["add('12s', '13s')", "25s"],
  ["sum([`12`])", 12],
  ["sum([`12`, `13`, `1`, `4`])", 30],
  ["sum(['12Ki'])", "12Ki"],
  ["sum(['12Ki', '13Ki', '1Ki', '4Ki'])", "30Ki"],
  ["sum(['12Ki', '13'])", "12301"],
  ["sum(['12s', '13s', '1s', '4s'])", "30s"],
  ["subtract(`12`, `13`)", -1],
  ["subtract('12Ki', '13Ki')", "-1Ki"],
  ["subtract('12Ki', '13')", "12275"],
  ["subtract('12s', '13s')", "-1s"],
  ["multiply('12Ki', `2`)", "24Ki"],
  ["multiply('12s', `2`)", "24s"],
  ["multiply(`2.5`, `2.5`)", 6.25],
  ["multiply(`2.5`, '12Ki')", "30Ki"],
  ["multiply(`2.5`, '12')", "30"],
  ["multiply(`2.5`, '40s')", "1m40s"],
  ["divide('256M', '256M')", 1],
  ["divide('512M', '256M')", 2],
  ["divide('8', '3')", 8 / 3],
  ["divide('128M', '256M')", 0.5],
  ["divide('12Ki', `3`)", "4Ki"],
  ["divide('12Ki', '2Ki')", 6],
  ["divide('12Ki', '200')", 61.44],
  ["divide('12s', `3`)", "4s"],
  ["divide('12s', '5s')", 2.4],
  ["divide(`14`, `3`)", 4.666666666666667],
  ["modulo('12Ki', '5Ki')", "2Ki"],
  ["modulo('13s', '2s')", "1s"],
  ["modulo(`13`, `5`)", 3],
  ["round(`9.414675`, `2`)", 9.41],
  ["round(`14.123`, `6`)", 14.123],
  // Beyond kyverno's table: the brief's examples and a few canonical forms.
  ["add('1Gi', '512Mi')", "1536Mi"],
  ["add('1h', '30s')", "1h0m30s"],
  ["add('500m', '500m')", "1"],
  ["add('1.5', '1.5')", "3"],
  ["subtract('1', '1500m')", "-500m"],
  ["multiply('1m', `0.5`)", "500u"],
  ["divide('10', `3`)", "3"],
  ["round(`-2.5`, `0`)", -3],
];

const ERRORS: string[] = [
  "add('12', '13s')",
  "add(`12`, '13Ki')",
  "add(`12`, '13')",
  "add('12Ki', '13s')",
  "add('12Ki', `13`)",
  "add('12s', `13`)",
  "add('12s', '13Ki')",
  "add('12s', '13')",
  "sum([])",
  "sum(['12', '13s'])",
  "sum([`12`, '13Ki'])",
  "sum(['12Ki', `13`])",
  "sum(['12s', '13'])",
  "subtract('12s', '13Ki')",
  "multiply('12Ki', '12Ki')",
  "multiply('12Ki', '12s')",
  "multiply('12s', '12s')",
  "divide('12Ki', '2s')",
  "divide('12s', '4Ki')",
  "divide(`14`, '5')",
  "divide(`14`, `0`)",
  "divide('4Ki', `0`)",
  "divide('4Ki', '0Ki')",
  "divide('4s', '0s')",
  "modulo('12Ki', `13`)",
  "modulo('13s', '12')",
  "modulo('13s', `2`)",
  "modulo(`13`, '5s')",
  "modulo(`14`, `0`)",
  "modulo('4', '0')",
  "modulo('4', '1.5')",
  "modulo('4.5', '1')",
  "modulo(`14`, `1.5`)",
  "modulo(`14.5`, `2`)",
  "round(`23`, '12Ki')",
  "round(`14`, `1.5`)",
  "round(`14`, `-2`)",
  "add(`true`, `1`)",
  "add('not a number', `1`)",
];

describe("arithmetic functions (kyverno semantics)", () => {
  for (const [expression, expected] of OK) {
    it(`${expression} = ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(run(expression), expected);
    });
  }
  for (const expression of ERRORS) {
    it(`${expression} fails`, () => {
      assert.throws(() => run(expression));
    });
  }

  it("reads '30m' as 30 milli-units, so add('1h', '30m') is a type mismatch as in Chainsaw", () => {
    assert.throws(() => run("add('1h', '30m')"), /types mismatch/);
    assert.equal(run("add('1h', '1800s')"), "1h30m0s");
  });
});
