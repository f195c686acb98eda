import { StringDecoder } from "node:string_decoder";
import { incompleteEscapeStart, stripAnsi } from "./ansi.ts";
import { TailBuffer } from "./tail.ts";

/**
 * The one capture of process output. What is kept when output is large: the last `maxBytes` bytes
 * (see TailBuffer), because the end is where a process says why it failed; `droppedBytes` tells how
 * much of the head is gone. Bytes are decoded as UTF-8 per stream, so a character split across
 * chunks is held back until complete, and passed on a whole line at a time, so streams written into
 * the same capture interleave by lines: a line of stdout is never cut in two by a chunk of stderr.
 */

/** A partial line longer than this is passed on anyway (progress bars that never print '\n'). */
const MAX_PENDING = 64 * 1024;

export interface CaptureOptions {
  /** Bytes of text kept: the tail. */
  maxBytes: number;
  /** Removes terminal escape sequences as output arrives, so colour codes do not use up `maxBytes`. */
  stripAnsi?: boolean;
}

/** Where a launched process's output stream goes (see `launchProcess`). */
export interface OutputStream {
  write(chunk: Buffer): void;
  /** No more chunks: what is still held back is passed on. */
  end(): void;
}

class StreamLines implements OutputStream {
  readonly #decoder = new StringDecoder("utf8");
  #pending = "";

  constructor(
    private readonly sink: (text: string) => void,
    private readonly strip: boolean,
  ) {}

  write(chunk: Buffer): void {
    this.#take(this.#decoder.write(chunk));
  }

  end(): void {
    this.#take(this.#decoder.end());
    if (this.#pending !== "") this.#pass(this.#pending);
    this.#pending = "";
  }

  #take(text: string): void {
    if (text === "") return;
    const all = this.#pending + text;
    let cut = all.lastIndexOf("\n") + 1;
    if (all.length - cut > MAX_PENDING) {
      const escape = this.strip ? incompleteEscapeStart(all) : -1;
      cut = escape === -1 ? all.length : escape;
    }
    if (cut > 0) this.#pass(all.slice(0, cut));
    this.#pending = all.slice(cut);
  }

  #pass(text: string): void {
    this.sink(this.strip ? stripAnsi(text) : text);
  }
}

/** A stream that calls `onLine` with each line (without its newline), for output shown as it comes. */
export function lineStream(onLine: (line: string) => void): OutputStream {
  return new StreamLines((text) => {
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    for (const line of lines) onLine(line);
  }, false);
}

export class OutputCapture {
  readonly #buffer: TailBuffer;
  readonly #streams: StreamLines[] = [];
  readonly #strip: boolean;

  constructor(options: CaptureOptions) {
    this.#buffer = new TailBuffer(options.maxBytes);
    this.#strip = options.stripAnsi ?? false;
  }

  /** A new stream into this capture: give stdout and stderr one each to keep them in one text. */
  stream(): OutputStream {
    const stream = new StreamLines((text) => this.#buffer.append(text), this.#strip);
    this.#streams.push(stream);
    return stream;
  }

  /** The kept tail, after passing on what each stream still held back. */
  text(): string {
    for (const stream of this.#streams) stream.end();
    return this.#buffer.text();
  }

  /** Bytes of the head that `text()` leaves out. */
  get droppedBytes(): number {
    return this.#buffer.droppedBytes;
  }
}
