import { createLogUpdate } from "log-update";

const TICK_MS = 1000;

/**
 * A block of lines redrawn in place at the bottom of a TTY, with permanent output written above it.
 * log-update does the erasing; this adds "write above" and a timer so elapsed times keep moving while
 * no event arrives (a 60 s assertion would otherwise look frozen).
 */
export class LiveArea {
  private readonly log: ReturnType<typeof createLogUpdate>;
  private shown = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly render: () => string[],
  ) {
    // Keep the cursor: hiding it writes to process.stderr behind our back and leaves it hidden if the
    // process dies without running log-update's restore hook.
    this.log = createLogUpdate(stream, { showCursor: true });
  }

  update(): void {
    const lines = this.render();
    if (lines.length === 0) {
      this.clear();
      return;
    }
    this.log(lines.join("\n"));
    this.shown = true;
    // Started lazily so that a reporter that never shows anything never keeps a timer around.
    this.timer ??= setInterval(() => this.update(), TICK_MS).unref();
  }

  /** Writes permanent text above the live block, then redraws the block below it. */
  write(text: string): void {
    this.clear();
    this.stream.write(text);
    this.update();
  }

  /** Removes the block and stops the timer; later writes go straight to the stream. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private clear(): void {
    if (!this.shown) return;
    this.log.clear();
    this.shown = false;
  }
}
