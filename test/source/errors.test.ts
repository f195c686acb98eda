import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { errorMessage, toError } from "../../src/source/errors.ts";

describe("errorMessage", () => {
  it("gives an Error's message, and anything else thrown as text", () => {
    assert.equal(errorMessage(new TypeError("bad input")), "bad input");
    assert.equal(errorMessage("plain string"), "plain string");
    assert.equal(errorMessage(42), "42");
    assert.equal(errorMessage(undefined), "undefined");
  });
});

describe("toError", () => {
  it("keeps an Error as it is and wraps anything else", () => {
    const error = new RangeError("out of range");
    assert.equal(toError(error), error);
    const wrapped = toError("plain string");
    assert.ok(wrapped instanceof Error);
    assert.equal(wrapped.message, "plain string");
  });
});
