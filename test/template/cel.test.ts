import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { match } from "../../src/match/match.ts";
import { Bindings } from "../../src/template/bindings.ts";
import { celSyntaxError, evaluateCel, evaluateCelWith } from "../../src/template/cel.ts";

describe("CEL", () => {
  it("sees object, bindings.resolve and each binding by name; whole JSON numbers are ints", () => {
    const bindings = Bindings.from({ replicas: 3, ratio: 0.5 });
    const object = { spec: { replicas: 3 }, items: [{ ok: true }, { ok: true }] };
    assert.equal(evaluateCel('object.spec.replicas == bindings.resolve("replicas")', object, bindings), true);
    assert.equal(evaluateCel("object.spec.replicas + 1", object, bindings), 4);
    assert.equal(evaluateCel("string(replicas) + '/' + string(ratio)", object, bindings), "3/0.5");
    assert.equal(evaluateCel("object.items.all(i, i.ok) && size(object.items) == 2", object, bindings), true);
    assert.deepEqual(evaluateCel("{'a': [1, 'x']}", null, bindings), { a: [1, "x"] });
  });

  it("a binding named object or bindings does not hide CEL's own variables", () => {
    const bindings = Bindings.from({ object: "binding", bindings: "binding" });
    assert.equal(evaluateCel("object.name", { name: "node" }, bindings), "node");
    assert.equal(evaluateCel('bindings.resolve("object")', {}, bindings), "binding");
  });

  it("kuttl's resourceRefs are variables of their own", () => {
    const cm = { data: { key: "value" } };
    assert.equal(evaluateCelWith("cm.data.key == 'value'", { cm }), true);
    assert.throws(() => evaluateCelWith("cm.data.other == 'x'", { cm }), /No such key: other/);
  });

  it("reports syntax errors on one line", () => {
    assert.equal(celSyntaxError("a.b == 1"), undefined);
    assert.match(celSyntaxError("a.b ==") ?? "", /^Unexpected token: EOF/);
  });

  it("assertion trees evaluate (cel; ...) keys and values, and the compiler in force", () => {
    const actual = { spec: { replicas: 2 } };
    const jp = { bindings: Bindings.empty() };
    assert.equal(match({ "(cel; object.spec.replicas > 1)": true }, actual, jp).ok, true);
    assert.equal(match({ "(object.spec.replicas == `2`)": true }, actual, jp).ok, false);
    const cel = { bindings: Bindings.empty().withCompiler("cel") };
    // In a value, `object` is the node at the same path, as `@` is in JMESPath.
    assert.equal(match({ spec: { replicas: "(object + 1 == 3)" } }, actual, cel).ok, false);
    assert.equal(match({ spec: { replicas: "(object * 1)" } }, actual, cel).ok, true);
    assert.equal(match({ "(object.spec.replicas == 2)": true }, actual, cel).ok, true);
  });
});
