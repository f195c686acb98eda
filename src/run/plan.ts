import type { Test } from "../model/index.ts";
import { splitTestId } from "../model/index.ts";

/** A path argument: a file or directory, `path:line`, or a test id (`path::name`). */
export interface LocationArg {
  file: string;
  line?: number;
  /** The whole argument when it is a test id. */
  id?: string;
}

export interface Selection {
  /**
   * Path arguments: a `path:line` selects the test that starts there or holds a step there, a test
   * id selects that test, a plain path every test under it.
   */
  locations?: LocationArg[];
  grep?: RegExp;
  grepInvert?: RegExp;
  /** Label selector over test labels: `a=b,c!=d,e` (equality, inequality, existence). */
  selector?: string;
  shard?: { index: number; total: number };
}

export class SelectionError extends Error {
  override name = "SelectionError";
}

/**
 * Which tests run: location filters, `--grep` / `--grep-invert` on `id name`, label selector, then
 * the shard. Tests run in file order (file, then line); shards split that list round-robin, so every
 * shard gets a similar mix.
 */
export function selectTests(tests: readonly Test[], selection: Selection): Test[] {
  let selected = [...tests].sort(byLocation);
  const locations = selection.locations ?? [];
  if (locations.length > 0) {
    selected = selected.filter((test) => locations.some((arg) => selects(arg, test)));
  }
  if (selection.grep) selected = selected.filter((t) => selection.grep!.test(`${t.id} ${t.name}`));
  if (selection.grepInvert)
    selected = selected.filter((t) => !selection.grepInvert!.test(`${t.id} ${t.name}`));
  if (selection.selector) {
    const requirements = parseSelector(selection.selector);
    selected = selected.filter((t) => requirements.every((r) => r(t.labels)));
  }
  if (selection.shard) {
    const { index, total } = selection.shard;
    selected = selected.filter((_, i) => i % total === index - 1);
  }
  return selected;
}

function byLocation(a: Test, b: Test): number {
  return (
    a.location.file.localeCompare(b.location.file, "en", { numeric: true }) ||
    a.location.line - b.location.line ||
    a.id.localeCompare(b.id, "en", { numeric: true })
  );
}

function selects(arg: LocationArg, test: Test): boolean {
  if (arg.id !== undefined)
    return normalize(test.id) === normalize(arg.id) || test.id.endsWith(`/${normalize(arg.id)}`);
  const { file, line } = test.location;
  if (!sameFile(file, arg.file)) return false;
  return arg.line === undefined || arg.line === line || containsLine(test, arg.line);
}

const normalize = (p: string): string => p.replace(/^\.\//, "").replace(/\/+$/, "");

/** The test's file is the wanted one, or lies under the wanted directory (a kuttl test case). */
function sameFile(testFile: string, wanted: string): boolean {
  const file = normalize(testFile);
  const want = normalize(wanted);
  return file === want || file.endsWith(`/${want}`) || file.startsWith(`${want}/`);
}

/** A line inside the test's document (between its start and the next test's start is not known: any step line counts). */
function containsLine(test: Test, line: number): boolean {
  return test.steps.some((s) => s.location.line === line);
}

type Requirement = (labels: Record<string, string>) => boolean;

export function parseSelector(selector: string): Requirement[] {
  return selector
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part): Requirement => {
      const m = /^(!)?([\w./-]+)\s*(?:(!=|==|=)\s*([\w.-]*))?$/.exec(part);
      if (!m)
        throw new SelectionError(
          `invalid --selector term "${part}": expected key, !key, key=value or key!=value`,
        );
      const [, not, key, op, value] = m;
      if (!op) return not ? (l) => !(key in l) : (l) => key in l;
      return op === "!=" ? (l) => l[key] !== value : (l) => l[key] === value;
    });
}

export function parseShard(text: string): { index: number; total: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total)
    throw new SelectionError(`--shard expects i/n with 1 <= i <= n, got "${text}"`);
  return { index, total };
}

/** `path/to/test.yaml:12` → file and line; `path/to/test.yaml::name` → a test id; a plain path → file only. */
export function parseLocationArg(arg: string): LocationArg {
  const id = splitTestId(arg);
  if (id !== undefined) return { file: id.file, id: arg };
  const m = /^(.*):(\d+)$/.exec(arg);
  return m ? { file: m[1], line: Number(m[2]) } : { file: arg };
}
