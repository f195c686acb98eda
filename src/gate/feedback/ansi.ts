/**
 * Terminal output as a person saw it, as plain text: test runners colour their output and draw
 * progress by rewriting lines, which only adds noise (and bytes) to feedback read by a model.
 */

const ESCAPES =
  // eslint-disable-next-line no-control-regex -- matching terminal control sequences is the point
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[P^_][^\x1b]*(?:\x1b\\)?|\x1b[()*+\-./][ -~]|\x1b[ -/]*[0-~]/g;

// Other C0 controls (bell, backspace, NUL, a lone ESC…) but not tab, newline or carriage return.
// eslint-disable-next-line no-control-regex -- see above
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** Removes ANSI escape sequences: CSI (colours, cursor moves), OSC (titles, hyperlinks), charset selection. */
export function stripAnsi(text: string): string {
  if (!text.includes("\x1b") && !text.includes("\x9b")) return text.replace(CONTROLS, "");
  return text.replace(ESCAPES, "").replace(CONTROLS, "");
}

/**
 * Turns `\r\n` into `\n` and resolves progress lines rewritten with a bare `\r`: only the last
 * non-empty segment of such a line is kept, which is what remained on the screen.
 */
export function resolveCarriageReturns(text: string): string {
  if (!text.includes("\r")) return text;
  return text
    .replace(/\r+\n/g, "\n")
    .split("\n")
    .map((line) => {
      if (!line.includes("\r")) return line;
      const segments = line.split("\r");
      for (let i = segments.length - 1; i >= 0; i--) {
        if (segments[i] !== "") return segments[i];
      }
      return "";
    })
    .join("\n");
}

/** Both of the above: what every parser and excerpt works on. */
export function cleanOutput(text: string): string {
  return resolveCarriageReturns(stripAnsi(text));
}
