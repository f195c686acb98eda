/**
 * Glob matching for a check's `paths`, against repository-relative paths with '/' separators:
 * `*` and `?` stay within one path segment, `**` spans any number of segments (`src/**` is
 * everything under src, `**\/*.go` every Go file), `[abc]`, `[!a-z]` and `{a,b}` as in shells.
 * A pattern matches the whole path; a pattern without '/' matches a file name at any depth, as in
 * .gitignore, because `*.md` meaning "Markdown files anywhere" is what people write.
 */

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function compile(pattern: string): string {
  let out = "";
  let i = 0;
  let braces = 0;
  while (i < pattern.length) {
    const c = pattern[i] ?? "";
    if (c === "*") {
      if (pattern[i + 1] === "*") {
        const atStart = i === 0 || pattern[i - 1] === "/";
        const after = pattern[i + 2];
        if (atStart && after === "/") {
          out += "(?:[^/]*/)*"; // zero or more whole directories
          i += 3;
          continue;
        }
        if (atStart && after === undefined) {
          out += ".*";
          i += 2;
          continue;
        }
        out += "[^/]*";
        i += 2;
        continue;
      }
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
      } else {
        let body = pattern.slice(i + 1, end);
        const negate = body.startsWith("!") || body.startsWith("^");
        if (negate) body = body.slice(1);
        out += `[${negate ? "^/" : ""}${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      braces += 1;
      out += "(?:";
    } else if (c === "}" && braces > 0) {
      braces -= 1;
      out += ")";
    } else if (c === "," && braces > 0) {
      out += "|";
    } else if (c === "\\" && i + 1 < pattern.length) {
      i += 1;
      out += escapeChar(pattern[i] ?? "");
    } else {
      out += escapeChar(c);
    }
    i += 1;
  }
  return out + ")".repeat(braces);
}

/** A matcher for one glob. A leading "./" or "/" anchors at the repository root. */
export function globMatcher(pattern: string): (path: string) => boolean {
  const anchored = pattern.startsWith("/") || pattern.startsWith("./");
  let body = pattern.replace(/^\.?\//, "");
  // `dir/` means everything under dir.
  if (body.endsWith("/")) body += "**";
  const anyDepth = !anchored && !body.includes("/");
  const regex = new RegExp(`^${anyDepth ? "(?:[^/]*/)*" : ""}${compile(body)}$`);
  return (path) => regex.test(path);
}

/** Whether any of `paths` matches any of `patterns`. */
export function anyMatch(patterns: readonly string[], paths: readonly string[]): boolean {
  const matchers = patterns.map(globMatcher);
  return paths.some((path) => matchers.some((m) => m(path)));
}
