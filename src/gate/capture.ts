import { StringDecoder } from "node:string_decoder";
import { stripAnsi } from "./feedback/index.ts";
import { TailBuffer } from "./feedback/index.ts";

/**
 * Collects a process's stdout and stderr into one TailBuffer, ANSI-stripped as it arrives so colour
 * codes do not use up the kept tail. Each stream is passed on a whole line at a time, so a line of
 * stdout is never cut in two by a chunk of stderr; escape sequences and UTF-8 characters split
 * across chunks are held back until complete.
 */

/** A partial line longer than this is passed on anyway (progress bars that never print '\n'). */
const MAX_PENDING = 64 * 1024;

/** Where an escape sequence that is not complete yet starts at the end of `text`, or -1. */
export function incompleteEscapeStart(text: string): number {
  const start = text.lastIndexOf("\x1b");
  if (start === -1 || text.length - start > 4096) return -1;
  const rest = text.slice(start + 1);
  if (rest === "") return start;
  const kind = rest[0];
  if (kind === "[") return /^\[[0-?]*[ -/]*[@-~]/.test(rest) ? -1 : start;
  if (kind === "]" || kind === "P" || kind === "^" || kind === "_") return rest.includes("\x07") ? -1 : start;
  if (kind !== undefined && "()*+-./".includes(kind)) return rest.length >= 2 ? -1 : start;
  return -1;
}

class StreamLines {
  readonly #decoder = new StringDecoder("utf8");
  #pending = "";

  constructor(private readonly sink: (text: string) => void) {}

  write(chunk: Buffer): void {
    this.#take(this.#decoder.write(chunk));
  }

  end(): void {
    this.#take(this.#decoder.end());
    if (this.#pending !== "") this.sink(stripAnsi(this.#pending));
    this.#pending = "";
  }

  #take(text: string): void {
    if (text === "") return;
    const all = this.#pending + text;
    const lastNewline = all.lastIndexOf("\n");
    let cut = lastNewline + 1;
    if (all.length - cut > MAX_PENDING) {
      const escape = incompleteEscapeStart(all);
      cut = escape === -1 ? all.length : escape;
    }
    if (cut > 0) this.sink(stripAnsi(all.slice(0, cut)));
    this.#pending = all.slice(cut);
  }
}

export class OutputCapture {
  readonly buffer: TailBuffer;
  readonly stdout: StreamLines;
  readonly stderr: StreamLines;

  constructor(maxBytes: number) {
    this.buffer = new TailBuffer(maxBytes);
    const sink = (text: string): void => this.buffer.append(text);
    this.stdout = new StreamLines(sink);
    this.stderr = new StreamLines(sink);
  }

  /** The kept tail, after flushing what each stream still held. */
  finish(): string {
    this.stdout.end();
    this.stderr.end();
    return this.buffer.text();
  }
}
