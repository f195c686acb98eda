import { fail, FUNCTIONS, show, type Pos } from "./gotemplate-functions.ts";

/**
 * The few sprig (masterminds.github.io/sprig) string functions kuttl's own suites and templates use.
 * kuttl v0.25 made all of sprig available; these are the ones implemented, each with sprig's argument
 * order (the value a pipeline passes comes last). Any other sprig function stays a load error naming it.
 */

type Fn = (args: unknown[], at: Pos) => unknown;

function strings(name: string, args: unknown[], count: number, at: Pos): string[] {
  if (args.length !== count) fail(`wrong number of args for ${name}: want ${count} got ${args.length}`, at);
  return args.map(show);
}

const unary =
  (name: string, f: (s: string) => string): Fn =>
  (args, at) => {
    const [s = ""] = strings(name, args, 1, at);
    return f(s);
  };

const binary =
  <T>(name: string, f: (a: string, b: string) => T): Fn =>
  (args, at) => {
    const [a = "", b = ""] = strings(name, args, 2, at);
    return f(a, b);
  };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const SPRIG_FUNCTIONS: Record<string, Fn> = {
  b64enc: unary("b64enc", (s) => Buffer.from(s, "utf8").toString("base64")),
  b64dec: (args, at) => {
    const [s = ""] = strings("b64dec", args, 1, at);
    // Buffer decodes anything; sprig (Go's StdEncoding) refuses what is not padded standard base64.
    if (!BASE64.test(s)) fail(`b64dec: illegal base64 data: "${s}"`, at);
    return Buffer.from(s, "base64").toString("utf8");
  },
  upper: unary("upper", (s) => s.toUpperCase()),
  lower: unary("lower", (s) => s.toLowerCase()),
  trim: unary("trim", (s) => s.trim()),
  quote: (args) => args.map((a) => JSON.stringify(show(a))).join(" "),
  squote: (args) => args.map((a) => `'${show(a)}'`).join(" "),
  trimPrefix: binary("trimPrefix", (prefix, s) => (s.startsWith(prefix) ? s.slice(prefix.length) : s)),
  trimSuffix: binary("trimSuffix", (suffix, s) =>
    suffix !== "" && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s,
  ),
  contains: binary("contains", (substr, s) => s.includes(substr)),
  hasPrefix: binary("hasPrefix", (prefix, s) => s.startsWith(prefix)),
  hasSuffix: binary("hasSuffix", (suffix, s) => s.endsWith(suffix)),
  replace: (args, at) => {
    const [old = "", replacement = "", s = ""] = strings("replace", args, 3, at);
    return s.split(old).join(replacement);
  },
};

/** Go's builtins and the sprig functions above: every function a kuttl template may call. */
export const TEMPLATE_FUNCTIONS: Record<string, Fn> = { ...FUNCTIONS, ...SPRIG_FUNCTIONS };
