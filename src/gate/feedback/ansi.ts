import { stripAnsi } from "../../process/ansi.ts";

/**
 * Terminal output as a person saw it, as plain text: escape sequences removed (see process/ansi.ts)
 * and progress lines rewritten with `\r` resolved to what remained on the screen.
 */

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

/** Escape sequences removed and progress lines resolved: what every parser and excerpt works on. */
export function cleanOutput(text: string): string {
  return resolveCarriageReturns(stripAnsi(text));
}
