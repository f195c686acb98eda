/**
 * Terminal control sequences in what processes print: test runners and kubectl-style tools colour
 * their output and draw progress, which only adds noise (and bytes) to captured output, feedback
 * documents, report files and annotations.
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
 * Where an escape sequence that is not complete yet starts at the end of `text`, or -1: output read in
 * chunks may cut a sequence in two, and stripping each half would leave the rest as text.
 */
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
