import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expand, expandArgs } from "../../src/ops/expand.ts";

const env: Record<string, string> = { FRUIT: "pear", EMPTY: "", N: "7" };
const lookup = (name: string): string | undefined => env[name];

describe("expand (Go's os.Expand, as Chainsaw applies it to command args)", () => {
  it("replaces $NAME and ${NAME}", () => {
    assert.equal(
      expand("$FRUIT-${FRUIT}s", (n) => lookup(n) ?? ""),
      "pear-pears",
    );
    assert.equal(
      expand("a${N}b$N", (n) => lookup(n) ?? ""),
      "a7b7",
    );
  });

  it("keeps a $ that starts no name, and drops malformed braces", () => {
    assert.equal(
      expand("100$ and $", () => "x"),
      "100$ and $",
    );
    assert.equal(
      expand("a${}b", () => "x"),
      "ab",
    );
    assert.equal(
      expand("a${b", () => "x"),
      "ab",
    );
  });

  it("takes one character for special names", () => {
    assert.equal(
      expand("$1x $$ ${?}", (n) => `<${n}>`),
      "<1>x <$> <?>",
    );
  });

  it("keeps an argument as written when it expands to nothing", () => {
    assert.deepEqual(expandArgs(["$MISSING", "$EMPTY", "x$MISSING", "$FRUIT"], lookup), [
      "$MISSING",
      "$EMPTY",
      "x",
      "pear",
    ]);
  });
});
