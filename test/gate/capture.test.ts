import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { incompleteEscapeStart, OutputCapture } from "../../src/gate/capture.ts";

describe("OutputCapture", () => {
  it("strips ANSI codes, also when a sequence or a character is split across chunks", () => {
    const capture = new OutputCapture(1024);
    const bytes = Buffer.from("\x1b[31mred\x1b[0m é\n\x1b]8;;http://x\x07link\x1b]8;;\x07\n", "utf8");
    // Split inside the first escape, inside 'é' and inside the OSC hyperlink.
    for (const [from, to] of [
      [0, 3],
      [3, 14],
      [14, 20],
      [20, bytes.length],
    ] as const)
      capture.stdout.write(bytes.subarray(from, to));
    assert.equal(capture.finish(), "red é\nlink\n");
  });

  it("keeps lines of stdout and stderr whole when chunks interleave", () => {
    const capture = new OutputCapture(1024);
    capture.stdout.write(Buffer.from("out: first ha"));
    capture.stderr.write(Buffer.from("err: whole line\n"));
    capture.stdout.write(Buffer.from("lf\nout: second\n"));
    capture.stderr.write(Buffer.from("err: no newline at the end"));
    assert.equal(
      capture.finish(),
      "err: whole line\nout: first half\nout: second\nerr: no newline at the end",
    );
  });

  it("keeps the tail, not the head", () => {
    const capture = new OutputCapture(64);
    for (let i = 0; i < 100; i++) capture.stdout.write(Buffer.from(`line ${i}\n`));
    const text = capture.finish();
    assert.ok(text.endsWith("line 98\nline 99\n"));
    assert.ok(!text.includes("line 1\n"));
    assert.ok(Buffer.byteLength(text) <= 64);
  });

  it("incompleteEscapeStart finds an escape sequence cut at the end", () => {
    assert.equal(incompleteEscapeStart("abc\x1b[3"), 3);
    assert.equal(incompleteEscapeStart("abc\x1b"), 3);
    assert.equal(incompleteEscapeStart("abc\x1b[31m"), -1);
    assert.equal(incompleteEscapeStart("abc\x1b]0;title"), 3);
    assert.equal(incompleteEscapeStart("abc"), -1);
  });
});
