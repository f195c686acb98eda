import { stripAnsi } from "./text.ts";

/**
 * The little XML the JUnit report needs, written by hand (DESIGN.md). Everything user-controlled passes
 * through here: test names, messages, script output, diffs.
 */

// XML 1.0 allows only tab, newline and carriage return below 0x20, and neither U+FFFE/U+FFFF nor unpaired
// surrogates; a single one of them makes the whole report unreadable to CI tools, so they are dropped.
const INVALID =
  // eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes terminal colours first (their ESC is a control character, the rest would be left as noise). */
export function xmlSafe(text: string): string {
  return stripAnsi(text).replace(INVALID, "");
}

const ATTR: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // Parsers normalise literal whitespace in attributes to spaces; references keep multi-line messages.
  "\n": "&#10;",
  "\r": "&#13;",
  "\t": "&#9;",
};

export function escapeAttr(value: string): string {
  return xmlSafe(value).replace(/[&<>"'\n\r\t]/g, (ch) => ATTR[ch] ?? ch);
}

export function escapeText(value: string): string {
  return xmlSafe(value).replace(/[&<>]/g, (ch) => ATTR[ch] ?? ch);
}

/** A CDATA section; `]]>` inside the text is split across two sections, the only way to carry it. */
export function cdata(text: string): string {
  return `<![CDATA[${xmlSafe(text).replace(/]]>/g, "]]]]><![CDATA[>")}]]>`;
}

export type Attrs = Record<string, string | number | undefined>;

export function attrs(values: Attrs): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeAttr(String(v))}"`)
    .join("");
}

/**
 * An element: self-closing without content, children each on their own line. Not indented (as
 * Playwright's report): indenting would have to stop at CDATA, whose every character is content.
 */
export function element(name: string, values: Attrs, content?: string | string[]): string {
  if (content === undefined || content.length === 0) return `<${name}${attrs(values)}/>`;
  if (typeof content === "string") return `<${name}${attrs(values)}>${content}</${name}>`;
  return [`<${name}${attrs(values)}>`, ...content, `</${name}>`].join("\n");
}
