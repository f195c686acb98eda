/**
 * Go's `os.Expand`, which Chainsaw applies to `command.args`: `$NAME` and `${NAME}` are replaced, `$`
 * before anything that is not a name stays, malformed `${...` is dropped. Chainsaw looks names up in the
 * operation's environment first, then its own process environment, and keeps an argument as written
 * when it expands to nothing.
 */
export function expandArgs(args: readonly string[], lookup: (name: string) => string | undefined): string[] {
  return args.map((arg) => {
    const expanded = expand(arg, (name) => lookup(name) ?? "");
    return expanded === "" ? arg : expanded;
  });
}

export function expand(text: string, mapping: (name: string) => string): string {
  let out = "";
  let copied = 0;
  for (let j = 0; j < text.length; j++) {
    if (text[j] !== "$" || j + 1 >= text.length) continue;
    out += text.slice(copied, j);
    const [name, width] = shellName(text.slice(j + 1));
    if (name === "" && width === 0) out += "$";
    else if (name !== "") out += mapping(name);
    j += width;
    copied = j + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isSpecial(c: string | undefined): boolean {
  return c !== undefined && "*#$@!?-0123456789".includes(c);
}

function isAlphaNum(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/** The variable name after a `$`, and how many characters it spans (Go's getShellName). */
function shellName(s: string): [string, number] {
  if (s[0] === "{") {
    if (s.length > 2 && isSpecial(s[1]) && s[2] === "}") return [s.slice(1, 2), 3];
    const close = s.indexOf("}", 1);
    if (close === 1) return ["", 2];
    if (close > 1) return [s.slice(1, close), close + 1];
    return ["", 1];
  }
  if (isSpecial(s[0])) return [s.slice(0, 1), 1];
  let i = 0;
  while (i < s.length && isAlphaNum(s[i])) i++;
  return [s.slice(0, i), i];
}
