import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Bindings } from "../../src/template/bindings.ts";
import {
  applyBindings,
  BindingError,
  mergeMaps,
  resolveBinding,
  TemplateError,
  templateResource,
  templateResourceRef,
  templateString,
  templateValue,
} from "../../src/template/template.ts";

const ns = Bindings.from({ namespace: "chainsaw-quick-owl" });

describe("templateValue", () => {
  it("replaces (expr) leaves and keeps everything else (docs: resource templating)", () => {
    const resource = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "($namespace)" },
      data: { foo: "($namespace)", plain: "text", n: 3 },
    };
    assert.deepEqual(templateResource(resource, ns), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "chainsaw-quick-owl" },
      data: { foo: "chainsaw-quick-owl", plain: "text", n: 3 },
    });
  });

  it("leaves a bare $name without parentheses as text", () => {
    assert.deepEqual(templateValue({ name: "$namespace" }, ns), { name: "$namespace" });
  });

  it("does not template keys (only leaves are templated)", () => {
    assert.deepEqual(templateValue({ "($namespace)": "($namespace)" }, ns), {
      "($namespace)": "chainsaw-quick-owl",
    });
  });

  it("templates inside arrays", () => {
    assert.deepEqual(templateValue({ args: ["--ns", "($namespace)"] }, ns), {
      args: ["--ns", "chainsaw-quick-owl"],
    });
  });

  it("keeps escaped leaves exactly as written, backslashes included (chainsaw pkg/mutate)", () => {
    assert.deepEqual(templateValue({ a: "\\(not evaluated)\\" }, ns), { a: "\\(not evaluated)\\" });
  });

  it("produces non-string values from expressions", () => {
    const b = Bindings.from({ a: 1, b: 2 });
    assert.deepEqual(templateValue({ sum: "($a + $b)", list: "([$a, $b])", obj: "({x: $a})" }, b), {
      sum: 3,
      list: [1, 2],
      obj: { x: 1 },
    });
  });

  it("evaluates @ against the node at the same path of the input (outputs)", () => {
    const input = { metadata: { name: "web", labels: { app: "x" } } };
    assert.equal(templateValue("(metadata.name)", Bindings.empty(), input), "web");
    assert.deepEqual(templateValue({ metadata: { name: "(@)" } }, Bindings.empty(), input), {
      metadata: { name: "web" },
    });
    // A nested leaf sees the input node at its own path, so here @ is input.name (absent).
    assert.deepEqual(templateValue({ name: "(metadata.name)" }, Bindings.empty(), input), { name: null });
  });

  it("reports the path of the failing leaf", () => {
    assert.throws(
      () => templateValue({ spec: { containers: [{ image: "($missing)" }] } }, ns),
      (err: unknown) => {
        assert.ok(err instanceof TemplateError);
        assert.deepEqual(err.path, ["spec", "containers", 0, "image"]);
        assert.equal(err.expression, "$missing");
        assert.match(err.message, /^spec\.containers\[0\]\.image: .*binding \$missing is not defined/);
        return true;
      },
    );
  });

  it("fails when an array is templated against a non-array input", () => {
    assert.throws(() => templateValue({ a: ["x"] }, ns, { a: "scalar" }), /expected a slice or array/);
  });

  it("evaluates CEL, named in the expression or as the compiler in force (testdata/e2e/examples/cel)", () => {
    const scope = Bindings.from({ a: 1, b: 2, c: "3" });
    assert.deepEqual(
      templateValue(
        {
          cel: '(cel; bindings.resolve("c"))',
          jp: "(jp; $c)",
          sum: '(cel; string(bindings.resolve("a") + b))',
        },
        scope,
      ),
      { cel: "3", jp: "3", sum: "3" },
    );
    assert.deepEqual(templateValue({ d: '(bindings.resolve("c"))' }, scope.withCompiler("cel")), { d: "3" });
    assert.deepEqual(templateValue({ d: "($c)" }, scope.withCompiler("cel").withCompiler("jp")), { d: "3" });
  });

  it("says which expression language is unknown, and where CEL fails", () => {
    assert.throws(
      () => templateValue({ c: "(js; 1)" }, ns),
      /unknown expression language "js": expected jp or cel/,
    );
    assert.throws(
      () => templateValue({ c: "(cel; nope.x)" }, ns),
      /^TemplateError: c: Unknown variable: nope/,
    );
  });

  it("accepts the explicit jp engine (testdata/e2e/examples/cel: jp: (jp; $c))", () => {
    assert.deepEqual(templateValue({ jp: "(jp; $c)" }, Bindings.from({ c: "3" })), { jp: "3" });
  });
});

describe("templateResourceRef (assert and error)", () => {
  it("templates only apiVersion, kind, name, namespace and string labels (docs example)", () => {
    const resource = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "($namespace)", labels: { app: "($namespace)", count: 1 } },
      data: { foo: "($namespace)" },
    };
    assert.deepEqual(templateResourceRef(resource, ns), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "chainsaw-quick-owl", labels: { app: "chainsaw-quick-owl", count: 1 } },
      data: { foo: "($namespace)" },
    });
  });

  it("leaves non-resource assertions alone", () => {
    const check = { "($error)": null };
    assert.equal(templateResourceRef(check, ns), check);
  });
});

describe("templateString", () => {
  it("evaluates names like Chainsaw's string fields", () => {
    assert.equal(templateString("($namespace)", ns), "chainsaw-quick-owl");
    assert.equal(templateString("plain", ns), "plain");
    assert.equal(templateString("", ns), "");
  });

  it("requires a string result", () => {
    assert.throws(() => templateString("(`1`)", ns), /didn't evaluate to a string/);
  });
});

describe("bindings", () => {
  it("resolves the test/step/operation example: (join(' ', [$hello, $chainsaw]))", () => {
    const b = applyBindings(
      [
        { name: "hello", value: "hello" },
        { name: "chainsaw", value: "chainsaw" },
        { name: "greetings", value: "(join(' ', [$hello, $chainsaw]))" },
      ],
      Bindings.empty(),
    );
    assert.equal(b.get("greetings"), "hello chainsaw");
  });

  it("resolves the bindings example: c = ($a + $b), foo: (to_string($c))", () => {
    const test = applyBindings([{ name: "a", value: 1 }], Bindings.empty());
    const step = applyBindings([{ name: "b", value: 2 }], test);
    const op = applyBindings([{ name: "c", value: "($a + $b)" }], step);
    assert.deepEqual(templateResource({ data: { foo: "(to_string($c))" } }, op), { data: { foo: "3" } });
  });

  it("templates binding names and checks them", () => {
    const b = Bindings.from({ suffix: "x" });
    assert.deepEqual(resolveBinding({ name: "(concat('name_', $suffix))", value: 1 }, b), {
      name: "name_x",
      value: 1,
    });
    assert.throws(
      () => applyBindings([{ name: "bad-name", value: 1 }], b),
      (err: unknown) => {
        assert.ok(err instanceof BindingError);
        assert.equal(err.index, 0);
        return true;
      },
    );
  });

  it("resolves outputs against the operation result", () => {
    const { value } = resolveBinding({ name: "uid", value: "(metadata.uid)" }, Bindings.empty(), {
      metadata: { uid: "123" },
    });
    assert.equal(value, "123");
  });
});

describe("helpers", () => {
  it("merges maps recursively like chainsaw's maps.Merge", () => {
    assert.deepEqual(mergeMaps({ a: { b: 1, c: 2 }, l: [1] }, { a: { b: 3 }, l: [2] }), {
      a: { b: 3, c: 2 },
      l: [2],
    });
  });
});
