import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lineStream, OutputCapture } from "../../src/process/capture.ts";

describe("OutputCapture", () => {
  it("strips ANSI codes, also when a sequence or a character is split across chunks", () => {
    const capture = new OutputCapture({ maxBytes: 1024, stripAnsi: true });
    const stdout = capture.stream();
    const bytes = Buffer.from("\x1b[31mred\x1b[0m é\n\x1b]8;;http://x\x07link\x1b]8;;\x07\n", "utf8");
    // Split inside the first escape, inside 'é' and inside the OSC hyperlink.
    for (const [from, to] of [
      [0, 3],
      [3, 14],
      [14, 20],
      [20, bytes.length],
    ] as const)
      stdout.write(bytes.subarray(from, to));
    assert.equal(capture.text(), "red é\nlink\n");
  });

  it("keeps lines of stdout and stderr whole when chunks interleave", () => {
    const capture = new OutputCapture({ maxBytes: 1024 });
    const [stdout, stderr] = [capture.stream(), capture.stream()];
    stdout.write(Buffer.from("out: first ha"));
    stderr.write(Buffer.from("err: whole line\n"));
    stdout.write(Buffer.from("lf\nout: second\n"));
    stderr.write(Buffer.from("err: no newline at the end"));
    assert.equal(capture.text(), "err: whole line\nout: first half\nout: second\nerr: no newline at the end");
  });

  it("keeps the tail, not the head", () => {
    const capture = new OutputCapture({ maxBytes: 64 });
    const stdout = capture.stream();
    for (let i = 0; i < 100; i++) stdout.write(Buffer.from(`line ${i}\n`));
    const text = capture.text();
    assert.ok(text.endsWith("line 98\nline 99\n"));
    assert.ok(!text.includes("line 1\n"));
    assert.ok(Buffer.byteLength(text) <= 64);
  });

  it("decodes a UTF-8 character split across chunks, byte by byte", () => {
    const capture = new OutputCapture({ maxBytes: 1024 });
    const stdout = capture.stream();
    for (const byte of Buffer.from("é€😀 ok\n", "utf8")) stdout.write(Buffer.from([byte]));
    assert.equal(capture.text(), "é€😀 ok\n");
  });

  it("keeps escape sequences unless asked to strip them", () => {
    const capture = new OutputCapture({ maxBytes: 1024 });
    capture.stream().write(Buffer.from("\x1b[31mred\x1b[0m\n"));
    assert.equal(capture.text(), "\x1b[31mred\x1b[0m\n");
  });

  it("counts the bytes of the head it dropped", () => {
    const capture = new OutputCapture({ maxBytes: 100 });
    const stdout = capture.stream();
    for (let i = 0; i < 100; i++) stdout.write(Buffer.from("0123456789\n"));
    const text = capture.text();
    assert.equal(Buffer.byteLength(text) + capture.droppedBytes, 1100);
    assert.ok(text.startsWith("0123456789\n"), "starts on a line");
  });
});

describe("lineStream", () => {
  it("passes each line once, whole, however the chunks fall", () => {
    const lines: string[] = [];
    const stream = lineStream((line) => lines.push(line));
    stream.write(Buffer.from("first li"));
    stream.write(Buffer.from("ne\nsecond\nthi"));
    stream.write(Buffer.from("rd, no newline"));
    stream.end();
    assert.deepEqual(lines, ["first line", "second", "third, no newline"]);
  });
});
