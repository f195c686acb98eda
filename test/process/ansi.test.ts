import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { incompleteEscapeStart, stripAnsi } from "../../src/process/ansi.ts";

const ESC = "\x1b";

describe("stripAnsi", () => {
  it("removes SGR colours and 256-colour codes", () => {
    assert.equal(
      stripAnsi(`${ESC}[1m${ESC}[31mFAIL${ESC}[39m${ESC}[22m ${ESC}[38;5;243mok${ESC}[0m`),
      "FAIL ok",
    );
  });

  it("removes cursor movement and erase sequences used by progress renderers", () => {
    assert.equal(
      stripAnsi(`${ESC}[2K${ESC}[1A${ESC}[2K${ESC}[Gbuilding ${ESC}[?25l3/7${ESC}[?25h`),
      "building 3/7",
    );
  });

  it("removes OSC sequences: window titles (BEL) and hyperlinks (ST), keeping the link text", () => {
    const title = `${ESC}]0;npm test\x07`;
    const link = `${ESC}]8;;file:///repo/x.test.ts${ESC}\\x.test.ts${ESC}]8;;${ESC}\\`;
    assert.equal(stripAnsi(`${title}see ${link}:12`), "see x.test.ts:12");
  });

  it("removes charset selection, keypad modes and other two-byte escapes", () => {
    assert.equal(stripAnsi(`${ESC}(Bplain${ESC})0 ${ESC}=${ESC}>text${ESC}7${ESC}8`), "plain text");
  });

  it("removes the C1 CSI form and stray control characters but keeps tabs and newlines", () => {
    assert.equal(stripAnsi("a\x9b31mb\x07c\bd\x00e\tf\ng" + ESC), "abcde\tf\ng");
  });

  it("leaves text without escapes untouched", () => {
    const text = "ok  \texample.com/m\t0.1s\n[FAIL] [It] x — ✖ ❯ ⎯\n";
    assert.equal(stripAnsi(text), text);
  });
});

describe("incompleteEscapeStart", () => {
  it("finds an escape sequence cut at the end", () => {
    assert.equal(incompleteEscapeStart("abc\x1b[3"), 3);
    assert.equal(incompleteEscapeStart("abc\x1b"), 3);
    assert.equal(incompleteEscapeStart("abc\x1b[31m"), -1);
    assert.equal(incompleteEscapeStart("abc\x1b]0;title"), 3);
    assert.equal(incompleteEscapeStart("abc"), -1);
  });
});
