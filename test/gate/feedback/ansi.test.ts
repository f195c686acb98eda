import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanOutput, resolveCarriageReturns } from "../../../src/gate/feedback/ansi.ts";
import { fixture } from "./support.ts";

const ESC = "\x1b";

describe("resolveCarriageReturns", () => {
  it("turns CRLF into LF", () => {
    assert.equal(resolveCarriageReturns("a\r\nb\r\n"), "a\nb\n");
  });

  it("keeps the last segment of a line rewritten with CR", () => {
    assert.equal(
      resolveCarriageReturns("pulling 10%\rpulling 55%\rpulling 100%\ndone\n"),
      "pulling 100%\ndone\n",
    );
  });

  it("ignores a trailing CR (the segment after it is empty) and handles CR before CRLF", () => {
    assert.equal(resolveCarriageReturns("step 1/3\rstep 3/3\r\nnext\r\r\n"), "step 3/3\nnext\n");
  });
});

describe("cleanOutput", () => {
  it("leaves no escape in a coloured vitest run and is idempotent", () => {
    const raw = fixture("jest/vitest-color.txt");
    assert.ok(raw.includes(ESC));
    const clean = cleanOutput(raw);
    assert.ok(!clean.includes(ESC));
    assert.ok(clean.includes(" FAIL  src/price.test.ts > price > formats cents\n"));
    assert.equal(cleanOutput(clean), clean);
  });

  it("strips colours before resolving progress lines", () => {
    assert.equal(cleanOutput(`${ESC}[32m50%${ESC}[0m\r${ESC}[32m100%${ESC}[0m\r\nok`), "100%\nok");
  });
});
