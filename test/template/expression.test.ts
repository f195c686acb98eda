import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExpression, stringExpression, templateExpression } from "../../src/template/expression.ts";

// Cases follow kyverno-json pkg/core/expression/expression.go (the regular expressions Chainsaw uses).
describe("parseExpression", () => {
  it("treats a plain key as a literal", () => {
    assert.deepEqual(parseExpression("replicas"), { foreach: false, statement: "replicas" });
  });

  it("recognises (statement) as a JMESPath expression", () => {
    assert.deepEqual(parseExpression("(replicas > 3)"), {
      foreach: false,
      engine: "jp",
      statement: "replicas > 3",
    });
  });

  it("reads an explicit engine with a semicolon", () => {
    assert.deepEqual(parseExpression("(jp; $c)"), {
      foreach: false,
      engine: "jp",
      explicitEngine: "jp",
      statement: " $c",
    });
    assert.deepEqual(parseExpression('(cel; bindings.resolve("c"))'), {
      foreach: false,
      engine: "cel",
      explicitEngine: "cel",
      statement: ' bindings.resolve("c")',
    });
  });

  it("parses the ~ foreach modifier with and without an index binding", () => {
    assert.deepEqual(parseExpression("~.(containers)"), {
      foreach: true,
      engine: "jp",
      statement: "containers",
    });
    assert.deepEqual(parseExpression("~index.(containers)"), {
      foreach: true,
      foreachName: "index",
      engine: "jp",
      statement: "containers",
    });
    assert.deepEqual(parseExpression("~.bar"), { foreach: true, statement: "bar" });
  });

  it("parses ->name bindings", () => {
    assert.deepEqual(parseExpression("(spec)->specBinding"), {
      foreach: false,
      binding: "specBinding",
      engine: "jp",
      statement: "spec",
    });
    assert.deepEqual(parseExpression("~idx.(items)->item"), {
      foreach: true,
      foreachName: "idx",
      binding: "item",
      engine: "jp",
      statement: "items",
    });
  });

  it("keeps spaces before -> in the projection, as the Go regexp does (so it is no longer an expression)", () => {
    assert.deepEqual(parseExpression("(spec) -> b"), { foreach: false, binding: "b", statement: "(spec) " });
  });

  it("unescapes \\...\\ and never evaluates it", () => {
    assert.deepEqual(parseExpression("\\(bar)\\"), { foreach: false, statement: "(bar)" });
    assert.deepEqual(parseExpression("~index.\\baz\\"), {
      foreach: true,
      foreachName: "index",
      statement: "baz",
    });
  });

  it("does not treat multi-line text as an expression (RE2 . excludes newlines)", () => {
    assert.equal(parseExpression("(a &&\n b)").engine, undefined);
  });

  it("needs the parentheses to wrap the whole text", () => {
    assert.equal(parseExpression("(a) + b").engine, undefined);
    assert.equal(parseExpression("()").engine, undefined);
  });
});

describe("templateExpression / stringExpression", () => {
  it("returns the statement of an expression leaf", () => {
    // No engine named: the compiler in force decides at evaluation.
    assert.deepEqual(templateExpression("($namespace)"), { engine: undefined, statement: "$namespace" });
    assert.deepEqual(templateExpression("(cel; x)"), { engine: "cel", statement: " x" });
    assert.equal(templateExpression("plain"), undefined);
    assert.equal(templateExpression(42), undefined);
    assert.equal(templateExpression("\\(escaped)\\"), undefined);
  });

  it("for plain strings, ignores ~ and -> (chainsaw pkg/expressions)", () => {
    assert.deepEqual(stringExpression("($name)"), { engine: undefined, statement: "$name" });
    assert.equal(stringExpression("(foo)->bar"), undefined);
    assert.equal(stringExpression(""), undefined);
    assert.equal(stringExpression("\\(x)\\"), undefined);
  });
});
