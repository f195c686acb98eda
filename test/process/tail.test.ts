import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TailBuffer, tailText } from "../../src/process/tail.ts";

const bytes = (s: string): number => Buffer.byteLength(s, "utf8");

function lines(n: number, prefix = "line"): string {
  return Array.from({ length: n }, (_, i) => `${prefix} ${String(i).padStart(4, "0")}\n`).join("");
}

describe("tailText", () => {
  it("returns short text whole", () => {
    assert.deepEqual(tailText("a\nb\n", 100), { text: "a\nb\n", droppedBytes: 0 });
  });

  it("keeps the end, starting on a line boundary", () => {
    const text = lines(100); // "line 0042\n" is 10 bytes
    const { text: tail, droppedBytes } = tailText(text, 55);
    assert.equal(tail, lines(100).slice(-50));
    assert.equal(droppedBytes, bytes(text) - 50);
  });

  it("cuts inside one very long line rather than dropping most of the budget", () => {
    const text = `head\n${"x".repeat(1000)}`;
    const { text: tail, droppedBytes } = tailText(text, 100);
    assert.equal(tail, "x".repeat(100));
    assert.equal(droppedBytes, 905);
  });

  it("never splits a multi-byte character", () => {
    const text = "é".repeat(100); // 2 bytes each, no newline
    const { text: tail, droppedBytes } = tailText(text, 51);
    assert.equal(tail, "é".repeat(25));
    assert.equal(droppedBytes, 150);
  });

  it("returns nothing for a zero budget", () => {
    assert.equal(tailText("abc\n", 0).text, "");
  });
});

describe("TailBuffer", () => {
  it("keeps everything while under the limit", () => {
    const buf = new TailBuffer(1024);
    buf.append("hello ");
    buf.append(Buffer.from("world\n"));
    assert.equal(buf.text(), "hello world\n");
    assert.equal(buf.droppedBytes, 0);
    assert.equal(buf.totalBytes, 12);
  });

  it("keeps the last bytes of a long stream, on line boundaries, and counts what it dropped", () => {
    const buf = new TailBuffer(1000);
    const all = lines(5000);
    for (let i = 0; i < all.length; i += 37) buf.append(all.slice(i, i + 37));
    assert.equal(buf.text(), all.slice(-1000));
    assert.ok(buf.text().startsWith("line 4900\n"));
    assert.equal(buf.droppedBytes, bytes(all) - 1000);
    assert.equal(buf.totalBytes, bytes(all));
  });

  it("agrees with tailText over the whole stream whatever the chunking", () => {
    const all = `${lines(300, "αβγ")}tail without newline`;
    for (const size of [1, 7, 64, 1000]) {
      const buf = new TailBuffer(333);
      for (let i = 0; i < all.length; i += size) buf.append(all.slice(i, i + size));
      assert.deepEqual(
        { text: buf.text(), droppedBytes: buf.droppedBytes },
        tailText(all, 333),
        `chunks of ${size}`,
      );
    }
  });

  it("reassembles a character split across chunks", () => {
    const buf = new TailBuffer(16);
    const euro = Buffer.from("€", "utf8");
    buf.append(euro.subarray(0, 1));
    buf.append(euro.subarray(1));
    assert.equal(buf.text(), "€");
  });

  it("never keeps the head, even when a compaction fell on a line start", () => {
    const buf = new TailBuffer(10);
    buf.append("first line\n");
    buf.append("0123456789\n0123456789\n");
    assert.equal(buf.text(), "0123456789\n".slice(-10));
    assert.ok(!buf.text().includes("first"));
  });

  it("rejects a limit that is not a positive integer", () => {
    assert.throws(() => new TailBuffer(0), RangeError);
    assert.throws(() => new TailBuffer(1.5), RangeError);
  });
});
