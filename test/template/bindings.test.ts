import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BindingNameError, Bindings } from "../../src/template/bindings.ts";

describe("Bindings", () => {
  it("starts empty", () => {
    const b = Bindings.empty();
    assert.deepEqual(b.toRecord(), {});
    assert.equal(b.get("namespace"), undefined);
    assert.equal(b.has("namespace"), false);
  });

  it("is immutable: with() returns a new chain and leaves the old one unchanged", () => {
    const outer = Bindings.empty().with("a", 1);
    const inner = outer.with("a", 2).with("b", 3);
    assert.equal(outer.get("a"), 1);
    assert.equal(outer.has("b"), false);
    assert.equal(inner.get("a"), 2);
    assert.deepEqual(inner.toRecord(), { a: 2, b: 3 });
    assert.deepEqual(outer.toRecord(), { a: 1 });
  });

  it("resolves the innermost binding with a name (Chainsaw docs: the last registered wins)", () => {
    const b = Bindings.from({ hello: "hello", chainsaw: "chainsaw" }).with("hello", "bonjour");
    assert.equal(b.get("hello"), "bonjour");
    assert.deepEqual(b.names(), ["chainsaw", "hello"]);
  });

  it("keeps null and falsy values as real bindings", () => {
    const b = Bindings.empty().with("error", null).with("zero", 0).with("no", false);
    assert.equal(b.has("error"), true);
    assert.equal(b.get("error"), null);
    assert.equal(b.get("zero"), 0);
    assert.equal(b.get("no"), false);
  });

  it("accepts names written with a leading $ and looks them up either way", () => {
    const b = Bindings.empty().with("$namespace", "ns");
    assert.equal(b.get("namespace"), "ns");
    assert.equal(b.get("$namespace"), "ns");
  });

  it("rejects names that are not \\w+ like Chainsaw", () => {
    assert.throws(() => Bindings.empty().with("my-name", 1), BindingNameError);
    assert.throws(() => Bindings.empty().with("", 1), BindingNameError);
    assert.throws(() => Bindings.empty().with("a.b", 1), /must match/);
  });

  it("withAll adds a record in order", () => {
    const b = Bindings.empty().with("x", 0).withAll({ x: 1, y: 2 });
    assert.deepEqual(b.toRecord(), { x: 1, y: 2 });
  });

  it("returns a frozen record", () => {
    const record = Bindings.from({ a: 1 }).toRecord();
    assert.equal(Object.isFrozen(record), true);
  });
});
