/**
 * Bounded capture of streaming output. A failing check's useful part is at the end (the failure
 * summary, the last error before the exit), so the head is what gets dropped.
 */

const NEWLINE = 0x0a;

/**
 * Where the kept tail of `bytes` should start so that it holds at most `maxBytes`: on a UTF-8
 * character boundary, and after a newline when the partial first line is short. Losing more than a
 * quarter of the budget just to start on a clean line costs more than a partial first line.
 */
function tailStart(bytes: Uint8Array, maxBytes: number, precededByNewline: boolean): number {
  let start = Math.max(0, bytes.length - maxBytes);
  if (start === 0 && precededByNewline) return 0;
  if (start > 0 && bytes[start - 1] === NEWLINE) return start;
  const limit = Math.min(bytes.length, start + Math.floor((bytes.length - start) / 4));
  for (let i = start; i < limit; i++) {
    if (bytes[i] === NEWLINE) return i + 1;
  }
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return start;
}

/** The last `maxBytes` bytes of `text` (UTF-8), starting on a line boundary where possible. */
export function tailText(text: string, maxBytes: number): { text: string; droppedBytes: number } {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return { text, droppedBytes: 0 };
  const start = tailStart(bytes, Math.max(0, maxBytes), false);
  return { text: bytes.subarray(start).toString("utf8"), droppedBytes: start };
}

/**
 * Keeps the last `maxBytes` bytes of everything appended. Memory stays within about twice the limit
 * however much is appended: chunks are compacted once they pass it.
 */
export class TailBuffer {
  readonly maxBytes: number;
  #chunks: Buffer[] = [];
  #held = 0;
  #total = 0;
  /** Bytes dropped by compaction, and whether the last of them ended a line. */
  #compacted = 0;
  #compactedAtNewline = true;
  #cache: { text: string; droppedBytes: number } | undefined;

  constructor(maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`TailBuffer maxBytes must be a positive integer, got ${maxBytes}`);
    }
    this.maxBytes = maxBytes;
  }

  append(chunk: string | Uint8Array): void {
    const buf = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
    if (buf.length === 0) return;
    this.#chunks.push(buf);
    this.#held += buf.length;
    this.#total += buf.length;
    this.#cache = undefined;
    if (this.#held > this.maxBytes * 2) this.#compact();
  }

  /** Everything appended so far, in bytes. */
  get totalBytes(): number {
    return this.#total;
  }

  /** Bytes of the head that `text()` leaves out. */
  get droppedBytes(): number {
    return this.#snapshot().droppedBytes;
  }

  text(): string {
    return this.#snapshot().text;
  }

  #compact(): void {
    const all = Buffer.concat(this.#chunks);
    // Keep the raw last maxBytes; line alignment is decided once, when the text is read.
    const cut = all.length - this.maxBytes;
    this.#compactedAtNewline = all[cut - 1] === NEWLINE;
    this.#compacted += cut;
    this.#chunks = [all.subarray(cut)];
    this.#held = this.maxBytes;
  }

  #snapshot(): { text: string; droppedBytes: number } {
    if (this.#cache) return this.#cache;
    const held = Buffer.concat(this.#chunks);
    this.#chunks = [held];
    const start =
      this.#compacted === 0 && held.length <= this.maxBytes
        ? 0
        : tailStart(held, this.maxBytes, this.#compactedAtNewline);
    this.#cache = { text: held.subarray(start).toString("utf8"), droppedBytes: this.#compacted + start };
    return this.#cache;
  }
}
