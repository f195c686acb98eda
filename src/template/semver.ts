/**
 * `semver_compare(version, range)` as kyverno-json implements it with github.com/blang/semver/v4:
 * the version is parsed strictly (an unparsable version counts as 0.0.0), the range uses blang's
 * syntax: comparators `<`, `<=`, `>`, `>=`, `=`, `==`, `!=`, `!` joined by spaces (AND) and `||` (OR),
 * with `1.2.x` / `1.x` wildcards.
 */

interface Version {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: (bigint | string)[];
}

const NUMERIC = /^(0|[1-9]\d*)$/;
const IDENT = /^[0-9A-Za-z-]+$/;

export class SemverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SemverError";
  }
}

/** semver.Parse (strict: no `v` prefix, no leading zeros, exactly three parts). */
export function parseVersion(text: string): Version {
  let rest = text;
  const plus = rest.indexOf("+");
  if (plus >= 0) {
    const build = rest.slice(plus + 1).split(".");
    if (build.some((id) => !IDENT.test(id)))
      throw new SemverError(`invalid build metadata in ${JSON.stringify(text)}`);
    rest = rest.slice(0, plus);
  }
  let pre: (bigint | string)[] = [];
  const dash = rest.indexOf("-");
  if (dash >= 0) {
    pre = rest
      .slice(dash + 1)
      .split(".")
      .map((id) => {
        if (!IDENT.test(id))
          throw new SemverError(`invalid prerelease ${JSON.stringify(id)} in ${JSON.stringify(text)}`);
        if (/^\d+$/.test(id)) {
          if (!NUMERIC.test(id))
            throw new SemverError(`numeric prerelease ${JSON.stringify(id)} has a leading zero`);
          return BigInt(id);
        }
        return id;
      });
    rest = rest.slice(0, dash);
  }
  const parts = rest.split(".");
  if (parts.length !== 3 || parts.some((p) => !NUMERIC.test(p))) {
    throw new SemverError(`invalid semantic version ${JSON.stringify(text)}`);
  }
  const [major = "0", minor = "0", patch = "0"] = parts;
  return { major: BigInt(major), minor: BigInt(minor), patch: BigInt(patch), pre };
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareVersions(a: Version, b: Version): number {
  const core = cmp(a.major, b.major) || cmp(a.minor, b.minor) || cmp(a.patch, b.patch);
  if (core !== 0) return core;
  if (a.pre.length === 0 && b.pre.length === 0) return 0;
  if (a.pre.length === 0) return 1;
  if (b.pre.length === 0) return -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined || y === undefined) break;
    if (typeof x === "bigint" && typeof y === "bigint") {
      if (x !== y) return cmp(x, y);
    } else if (typeof x === "bigint") {
      return -1;
    } else if (typeof y === "bigint") {
      return 1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return cmp(BigInt(a.pre.length), BigInt(b.pre.length));
}

type Predicate = (v: Version) => boolean;

/** blang's splitAndTrim: spaces split comparators, except right after an operator character. */
function splitAndTrim(s: string): string[] {
  const out: string[] = [];
  let last = 0;
  let lastChar = "";
  for (let i = 0; i < s.length; i++) {
    if (s[i] === " " && !"<>=".includes(lastChar || "#")) {
      if (last < i - 1) out.push(s.slice(last, i));
      last = i + 1;
    } else if (s[i] !== " ") {
      lastChar = s[i] ?? "";
    }
  }
  if (last < s.length - 1) out.push(s.slice(last));
  return out.map((p) => p.replaceAll(" ", "")).filter((p) => p !== "");
}

function splitComparator(part: string): { op: string; version: string } {
  const m = /^([<>=!]*)(.*)$/.exec(part);
  const op = m?.[1] ?? "";
  const version = m?.[2] ?? "";
  if (version === "") throw new SemverError(`could not get version from string: ${JSON.stringify(part)}`);
  return { op, version };
}

function increment(version: string, which: "major" | "minor"): string {
  const v = parseVersion(version);
  return which === "major" ? `${v.major + 1n}.0.0` : `${v.major}.${v.minor + 1n}.0`;
}

/** blang's expandWildcardVersion for one comparator. */
function expandWildcard(part: string): string[] {
  if (!part.includes("x")) return [part];
  const { op, version } = splitComparator(part);
  // blang decides the wildcard kind by the number of parts (so `4.x.x` is a patch wildcard) and
  // flattens `.x.x` before `.x`: `4.x.x` → `4.0.0`, `1.2.x` → `1.2.0`, `1.x` → `1.0.0`.
  const pieces = version.split(".");
  const kind =
    pieces.at(-1) !== "x" ? "none" : pieces.length === 3 ? "patch" : pieces.length === 2 ? "minor" : "major";
  let flat = version.replace(".x.x", ".x").replace(".x", ".0");
  if (flat.split(".").length === 2) flat += ".0";
  // Only patch and minor wildcards can be bumped; blang then compares against an empty version.
  const bump = (): string => {
    if (kind !== "patch" && kind !== "minor")
      throw new SemverError(`invalid wildcard version ${JSON.stringify(version)}`);
    return increment(flat, kind === "patch" ? "minor" : "major");
  };
  switch (op) {
    case ">":
      return [`>=${bump()}`];
    case ">=":
      return [`>=${flat}`];
    case "<":
      return [`<${flat}`];
    case "<=":
      return [`<${bump()}`];
    case "":
    case "=":
    case "==":
      return [`>=${flat}`, `<${bump()}`];
    case "!=":
    case "!":
      return [`<${flat}`, `>=${bump()}`];
    default:
      throw new SemverError(`invalid operator ${JSON.stringify(op)}`);
  }
}

function comparator(part: string): Predicate {
  const { op, version } = splitComparator(part);
  const target = parseVersion(version);
  const c = (v: Version): number => compareVersions(v, target);
  switch (op) {
    case "":
    case "=":
    case "==":
      return (v) => c(v) === 0;
    case "!=":
    case "!":
      return (v) => c(v) !== 0;
    case ">":
      return (v) => c(v) > 0;
    case ">=":
      return (v) => c(v) >= 0;
    case "<":
      return (v) => c(v) < 0;
    case "<=":
      return (v) => c(v) <= 0;
    default:
      throw new SemverError(`invalid operator ${JSON.stringify(op)}`);
  }
}

/** semver.ParseRange: an OR of ANDs of comparators. */
export function parseRange(range: string): Predicate {
  const groups: string[][] = [[]];
  for (const part of splitAndTrim(range)) {
    if (part === "||") groups.push([]);
    else groups.at(-1)?.push(part);
  }
  if (groups.some((g) => g.length === 0)) throw new SemverError(`invalid range ${JSON.stringify(range)}`);
  const ors = groups.map((group) => group.flatMap(expandWildcard).map(comparator));
  return (v) => ors.some((ands) => ands.every((p) => p(v)));
}

export function semverCompare(version: string, range: string): boolean {
  let v: Version;
  try {
    v = parseVersion(version);
  } catch {
    v = { major: 0n, minor: 0n, patch: 0n, pre: [] };
  }
  return parseRange(range)(v);
}
