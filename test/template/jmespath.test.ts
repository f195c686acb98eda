import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Bindings } from "../../src/template/bindings.ts";
import {
  compileExpression,
  evaluate,
  ExpressionError,
  registerFunction,
  rewriteBareNumbers,
} from "../../src/template/jmespath.ts";

const none = Bindings.empty();

describe("evaluate", () => {
  it("evaluates against the input as @", () => {
    assert.equal(evaluate("metadata.name", { metadata: { name: "web" } }, none), "web");
    assert.deepEqual(evaluate("@", [1, 2], none), [1, 2]);
    assert.equal(evaluate("length(@) > `2`", [1, 2, 3], none), true);
  });

  it("resolves $name from bindings (Chainsaw docs: join(' ', [$hello, $chainsaw, 'is', $awesome]))", () => {
    const b = Bindings.from({ chainsaw: "chainsaw", hello: "hello", awesome: "awesome" });
    assert.equal(
      evaluate("join(' ', [$hello, $chainsaw, 'is', $awesome])", null, b),
      "hello chainsaw is awesome",
    );
  });

  it("computes ($a + $b) like Chainsaw's bindings example", () => {
    const b = Bindings.from({ a: 1, b: 2 });
    assert.equal(evaluate("$a + $b", null, b), 3);
    assert.equal(evaluate("to_string($a + $b)", null, b), "3");
  });

  it("sees null and false bindings", () => {
    const b = Bindings.from({ error: null, flag: false });
    assert.equal(evaluate("$error", null, b), null);
    assert.equal(evaluate("$error == null", null, b), true);
    assert.equal(evaluate("$flag", null, b), false);
  });

  it("supports let expressions and the kyverno-json assertion-trees example", () => {
    const input = { foo: { baz: true, bar: 4, bat: 6 } };
    assert.equal(evaluate("foo.bar > `3`", input, none), true);
    assert.equal(evaluate("!baz", input.foo, none), false);
    assert.equal(evaluate("foo.bar + foo.bat", input, none), 10);
    assert.equal(evaluate("let $x = foo.bar in $x * `2`", input, none), 8);
  });

  it("accepts bare numbers as Chainsaw's docs write them: (replicas > 3)", () => {
    assert.equal(evaluate("replicas > 3", { replicas: 4 }, none), true);
    assert.equal(evaluate("replicas > 3 && replicas < 6", { replicas: 7 }, none), false);
    assert.equal(evaluate("x >= 2.5", { x: 2.5 }, none), true);
    assert.equal(evaluate("a -1", { a: 3 }, none), 2);
    assert.deepEqual(
      evaluate(
        "items[?count > 1].name",
        {
          items: [
            { name: "a", count: 2 },
            { name: "b", count: 1 },
          ],
        },
        none,
      ),
      ["a"],
    );
    assert.deepEqual(evaluate("[a, 1]", { a: 3 }, none), [3, 1]);
  });

  it("keeps index and slice positions as they are", () => {
    assert.equal(evaluate("items[-1]", { items: [1, 2, 3] }, none), 3);
    assert.deepEqual(evaluate("items[0:2]", { items: [1, 2, 3] }, none), [1, 2]);
    assert.equal(rewriteBareNumbers("items[0]"), undefined);
    assert.equal(rewriteBareNumbers("replicas > 3"), "replicas > `3`");
    assert.equal(rewriteBareNumbers("a[1] > -2.5"), "a[1] > `-2.5`");
  });

  it("reports an undefined binding clearly", () => {
    assert.throws(
      () => evaluate("$missing", null, none),
      (err: unknown) => {
        assert.ok(err instanceof ExpressionError);
        assert.equal(err.phase, "evaluate");
        assert.match(err.message, /binding \$missing is not defined/);
        return true;
      },
    );
  });

  it("reports syntax errors with the expression text", () => {
    assert.throws(
      () => evaluate("foo[", null, none),
      (err: unknown) => {
        assert.ok(err instanceof ExpressionError);
        assert.equal(err.phase, "compile");
        assert.equal(err.expression, "foo[");
        return true;
      },
    );
  });

  it("caches compiled expressions, including failures", () => {
    assert.equal(compileExpression("a.b"), compileExpression("a.b"));
    const first = (() => {
      try {
        compileExpression("a[");
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    assert.throws(
      () => compileExpression("a["),
      (err: unknown) => err === first,
    );
  });

  it("keeps bindings visible inside expression references (map, sort_by, max_by)", () => {
    const b = Bindings.from({ suffix: "-x" });
    assert.deepEqual(evaluate("map(&concat(@, $suffix), @)", ["a", "b"], b), ["a-x", "b-x"]);
    assert.equal(evaluate("max_by(@, &length(concat(@, $suffix)))", ["ab", "b"], b), "ab");
  });

  it("evaluates $ as the input root", () => {
    assert.equal(evaluate("items[0] | $.name", { name: "root", items: [{ name: "child" }] }, none), "root");
  });

  it("survives nested evaluations from inside a function", () => {
    registerFunction("x_test_nested", ([v]) => evaluate("$inner", null, Bindings.from({ inner: v })), [
      { types: ["any"] },
    ]);
    const b = Bindings.from({ outer: "o" });
    assert.deepEqual(evaluate("[x_test_nested('i'), $outer]", null, b), ["i", "o"]);
  });

  it("treats undefined input as null", () => {
    assert.equal(evaluate("@", undefined, none), null);
    assert.equal(evaluate("foo.bar", undefined, none), null);
  });

  it("lets the runner register functions (e.g. x_k8s_get with $client)", () => {
    registerFunction(
      "x_test_echo",
      ([client, name]) => `${(client as { server: string }).server}/${name as string}`,
      [{ types: ["any"] }, { types: ["string"] }],
    );
    const b = Bindings.from({ client: { server: "https://k8s" } });
    assert.equal(evaluate("x_test_echo($client, 'pods')", null, b), "https://k8s/pods");
  });

  it("fails on unknown functions", () => {
    assert.throws(() => evaluate("no_such_function(@)", 1, none), /Unknown function/);
  });
});
