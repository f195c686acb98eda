/**
 * A strict little XML reader for the JUnit tests: enough of XML 1.0 to reject what CI tools reject
 * (unbalanced tags, raw `<` or stray `&`, unquoted attributes, forbidden characters) and to read values
 * back, so escaping is checked by round trip rather than by the writer's own idea of it.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Text and CDATA content directly inside the element, concatenated. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  return raw.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new Error(`stray & in ${where}`);
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity ${whole} in ${where}`);
    return value;
  });
}

// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const NAME = /^[A-Za-z_:][\w.:-]*$/;

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error("document contains a character XML 1.0 forbids");
  let rest = xml.replace(/^<\?xml [^?]*\?>\s*/, "");
  if (rest.length === xml.length) throw new Error("missing XML declaration");
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  const top = (): XmlElement => stack[stack.length - 1];
  while (rest.length > 0) {
    if (rest.startsWith("<![CDATA[")) {
      const end = rest.indexOf("]]>");
      if (end < 0) throw new Error("unterminated CDATA");
      top().text += rest.slice(9, end);
      rest = rest.slice(end + 3);
    } else if (rest.startsWith("</")) {
      const m = /^<\/([^\s>]+)\s*>/.exec(rest);
      if (!m) throw new Error(`bad end tag near ${rest.slice(0, 30)}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`</${m[1]}> closes <${open?.name}>`);
      rest = rest.slice(m[0].length);
    } else if (rest.startsWith("<")) {
      const m = /^<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*"[^"]*")*)\s*(\/?)>/.exec(rest);
      if (!m) throw new Error(`bad start tag near ${rest.slice(0, 60)}`);
      const [whole, name = "", attrText = "", selfClosing] = m;
      if (!NAME.test(name)) throw new Error(`bad element name ${name}`);
      const attrs: Record<string, string> = {};
      for (const a of attrText.matchAll(/([^\s=]+)\s*=\s*"([^"]*)"/g)) {
        const key = a[1];
        if (!NAME.test(key) || key in attrs) throw new Error(`bad or repeated attribute ${key}`);
        if (a[2].includes("<")) throw new Error(`raw < in attribute ${key}`);
        attrs[key] = decode(a[2], `attribute ${key}`);
      }
      const element: XmlElement = { name, attrs, children: [], text: "" };
      top().children.push(element);
      if (stack.length === 1 && root.children.length > 1) throw new Error("more than one root element");
      if (!selfClosing) stack.push(element);
      rest = rest.slice(whole.length);
    } else {
      const end = rest.indexOf("<");
      const raw = end < 0 ? rest : rest.slice(0, end);
      if (raw.includes("]]>")) throw new Error("]]> in text");
      const text = decode(raw, `text of <${top().name}>`);
      if (stack.length === 1 && text.trim() !== "") throw new Error("text outside the root element");
      top().text += text;
      rest = end < 0 ? "" : rest.slice(end);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${top().name}>`);
  const [only] = root.children;
  if (!only) throw new Error("no root element");
  return only;
}

/** Every element called `name` below `element`, depth first. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(child.name === name ? [child] : []),
    ...findAll(child, name),
  ]);
}
