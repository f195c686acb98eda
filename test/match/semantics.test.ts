import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatFailure, match, type MatchOptions } from "../../src/match/match.ts";
import { Bindings } from "../../src/template/bindings.ts";

const opts: MatchOptions = { bindings: Bindings.empty() };
const contains: MatchOptions = { bindings: Bindings.empty(), listMatch: "contains" };

function lines(expected: unknown, actual: unknown, options: MatchOptions = opts): string[] {
  return match(expected, actual, options).failures.map(formatFailure);
}

// kyverno-json pkg/core/assertion/assertion.go and pkg/core/matching, case by case.
describe("maps", () => {
  it("ignore keys the expected map does not mention", () => {
    assert.equal(match({ a: 1 }, { a: 1, b: 2 }, opts).ok, true);
  });

  it("report every missing and wrong field, not only the first", () => {
    assert.deepEqual(lines({ a: 1, b: { c: 2 }, d: 3 }, { a: 2, b: { c: 3 } }), [
      "a: Invalid value: 2: Expected value: 1",
      "b.c: Invalid value: 3: Expected value: 2",
      "d: Required value: field not found in the input object",
    ]);
  });

  it("an empty expected map requires a non-null value (kyverno-json assertion_test: nil vs empty object)", () => {
    assert.deepEqual(lines({ foo: {} }, { foo: null }), [
      `foo: Invalid value: "null": invalid value, must not be null`,
    ]);
    assert.equal(match({ foo: {} }, { foo: { bar: 42 } }, opts).ok, true);
    assert.equal(match({ foo: {} }, { foo: "anything" }, opts).ok, true);
  });

  it("a key present with a null value is found (and compared)", () => {
    assert.equal(match({ a: null }, { a: null }, opts).ok, true);
    assert.deepEqual(lines({ a: null }, {}), ["a: Required value: field not found in the input object"]);
    assert.deepEqual(lines({ a: null }, { a: 1 }), ["a: Invalid value: 1: Expected value: null"]);
  });

  it("a plain key under a non-map value is an evaluation error", () => {
    const result = match({ a: { b: 1 } }, { a: "text" }, opts);
    assert.equal(result.failures[0]?.fatal, true);
    assert.equal(
      formatFailure(result.failures[0] ?? { path: [], field: "", message: "" }),
      "a.b: Internal error: projection not recognized",
    );
  });

  it("(expr) keys always find their projection, even on null", () => {
    assert.equal(match({ "(missing)": null }, {}, opts).ok, true);
    assert.equal(match({ "(length(@))": 2 }, [1, 2], opts).ok, true);
  });

  it("report expected-document paths and Chainsaw field paths separately", () => {
    const [failure] = match(
      { spec: { "~.(items)": { v: 1 } } },
      { spec: { items: [{ v: 1 }, { v: 2 }] } },
      opts,
    ).failures;
    assert.deepEqual(failure?.path, ["spec", "~.(items)", "v"]);
    assert.equal(failure?.field, "spec.~.(items)[1].v");
    assert.equal(failure?.expected, 1);
    assert.equal(failure?.actual, 2);
  });
});

describe("leaves", () => {
  it("compare numbers numerically and strings exactly", () => {
    assert.equal(match({ replicas: 1 }, { replicas: 1.0 }, opts).ok, true);
    assert.equal(match({ s: "a" }, { s: "a" }, opts).ok, true);
    assert.equal(match({ b: true }, { b: true }, opts).ok, true);
  });

  it("treat comparing different kinds as an evaluation error, like Chainsaw", () => {
    const result = match({ port: "80" }, { port: 80 }, opts);
    assert.equal(result.ok, false);
    assert.equal(result.failures[0]?.fatal, true);
    assert.equal(
      formatFailure(result.failures[0] ?? { path: [], field: "", message: "" }),
      "port: Internal error: types are not comparable, string - int64",
    );
    assert.equal(match({ flag: true }, { flag: "true" }, opts).failures[0]?.fatal, true);
  });

  it("compare a (expr) leaf's result with the actual value, with @ as the actual value", () => {
    assert.equal(match({ name: "(to_upper('web'))" }, { name: "WEB" }, opts).ok, true);
    assert.equal(match({ n: "(@)" }, { n: 5 }, opts).ok, true);
    // A boolean expression as a leaf is compared, not "must be truthy".
    assert.equal(match({ items: "(length(@) > `2`)" }, { items: [1, 2, 3] }, opts).failures[0]?.fatal, true);
  });

  it("match expression results that are maps partially and arrays exactly (matching.Match)", () => {
    const actual = { meta: { a: 1, b: 2 }, list: [1, 2] };
    assert.equal(match({ meta: "({a: `1`})" }, actual, opts).ok, true);
    assert.equal(match({ list: "([`1`, `2`])" }, actual, opts).ok, true);
    assert.equal(match({ list: "([`1`])" }, actual, opts).ok, false);
    assert.equal(match({ meta: "({a: `1`})" }, { meta: "x" }, opts).failures[0]?.fatal, true);
  });

  it("reject ~ and -> on values", () => {
    assert.equal(
      match({ a: "~.(x)" }, { a: 1 }, opts).failures[0]?.message,
      "Internal error: foreach is not supported on the RHS",
    );
    assert.equal(
      match({ a: "(x)->b" }, { a: 1 }, opts).failures[0]?.message,
      "Internal error: binding is not supported on the RHS",
    );
  });

  it("take escaped values literally", () => {
    assert.equal(match({ a: "\\(literal)\\" }, { a: "(literal)" }, opts).ok, true);
  });

  it("report expression errors as fatal, with the expression", () => {
    const [failure] = match({ a: "($nope)" }, { a: 1 }, opts).failures;
    assert.equal(failure?.fatal, true);
    assert.match(failure?.message ?? "", /binding \$nope is not defined/);
  });

  it("refuse the cel engine", () => {
    assert.equal(match({ "(cel; object.x)": 1 }, {}, opts).failures[0]?.fatal, true);
  });
});

describe("foreach", () => {
  it("fails on projections that are neither arrays nor maps", () => {
    const [failure] = match({ "~.(name)": { x: 1 } }, { name: "web" }, opts).failures;
    assert.equal(failure?.fatal, true);
    assert.match(failure?.message ?? "", /expected a slice or a map/);
  });

  it("passes vacuously on empty arrays", () => {
    assert.equal(match({ "~.(items)": { v: 1 } }, { items: [] }, opts).ok, true);
  });
});

describe("arrays, exact (Chainsaw default)", () => {
  it("require the same length and order", () => {
    assert.equal(match({ l: [1, 2] }, { l: [1, 2] }, opts).ok, true);
    assert.deepEqual(lines({ l: [1, 2] }, { l: [2, 1] }), [
      "l[0]: Invalid value: 2: Expected value: 1",
      "l[1]: Invalid value: 1: Expected value: 2",
    ]);
    assert.match(
      lines({ l: [1] }, { l: [1, 2] })[0] ?? "",
      /^l: Invalid value: \[1,2\]: lengths of slices don't match/,
    );
  });

  it("match elements partially", () => {
    assert.equal(match({ l: [{ name: "a" }] }, { l: [{ name: "a", extra: true }] }, opts).ok, true);
  });

  it("report null and non-array actual values", () => {
    assert.deepEqual(lines({ l: [1] }, { l: null }), [`l: Invalid value: "null": value is null`]);
    assert.equal(match({ l: [1] }, { l: "x" }, opts).failures[0]?.fatal, true);
  });
});

describe("arrays, contains", () => {
  it("accept any order and extra actual elements", () => {
    const actual = { containers: [{ name: "sidecar" }, { name: "app", image: "nginx" }] };
    assert.equal(match({ containers: [{ name: "app" }] }, actual, contains).ok, true);
    assert.equal(match({ containers: [{ name: "app" }, { name: "sidecar" }] }, actual, contains).ok, true);
  });

  it("need a distinct actual element for each expected element", () => {
    const result = match({ l: [{ a: 1 }, { a: 1 }] }, { l: [{ a: 1, b: 1 }, { a: 2 }] }, contains);
    assert.equal(result.ok, false);
    assert.deepEqual(result.failures[0]?.path, ["l", 1]);
    assert.match(result.failures[0]?.message ?? "", /no element of the actual list matches/);
  });

  it("finds an assignment when a greedy one would fail", () => {
    const expected = { l: [{ a: 1 }, { a: 1, b: 2 }] };
    assert.equal(match(expected, { l: [{ a: 1, b: 2 }, { a: 1 }] }, contains).ok, true);
  });

  it("points at the closest element when nothing matches", () => {
    const [failure] = match(
      { l: [{ name: "app", image: "nginx:2" }] },
      {
        l: [
          { name: "db", image: "pg" },
          { name: "app", image: "nginx:1" },
        ],
      },
      contains,
    ).failures;
    assert.match(failure?.message ?? "", /closest: element \[1\], 1 mismatch, first: l\[1\]\.image/);
  });

  it("reports an empty actual list", () => {
    assert.match(lines({ l: [1] }, { l: [] }, contains)[0] ?? "", /the actual list is empty/);
  });
});
