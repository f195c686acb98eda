import type { Test } from "../model/index.ts";

export interface Selection {
  /** `path:line` arguments: run exactly the tests whose ids (or files with that line inside) match. */
  locations?: { file: string; line?: number }[];
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
 * the shard. Shards split the sorted list round-robin, so every shard gets a similar mix.
 */
export function selectTests(tests: readonly Test[], selection: Selection): Test[] {
  let selected = [...tests].sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
  if (selection.locations?.length) {
    selected = selected.filter((test) =>
      selection.locations!.some(({ file, line }) => {
        const [testFile, testLine] = splitId(test.id);
        return (
          sameFile(testFile, file) && (line === undefined || line === testLine || containsLine(test, line))
        );
      }),
    );
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

function splitId(id: string): [string, number] {
  const at = id.lastIndexOf(":");
  return [id.slice(0, at), Number(id.slice(at + 1))];
}

function sameFile(testFile: string, wanted: string): boolean {
  const normalize = (p: string): string => p.replace(/^\.\//, "");
  return normalize(testFile) === normalize(wanted) || testFile.endsWith(`/${normalize(wanted)}`);
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

/** `path/to/test.yaml:12` → file and line; a plain path → file only. */
export function parseLocationArg(arg: string): { file: string; line?: number } {
  const m = /^(.*):(\d+)$/.exec(arg);
  return m ? { file: m[1], line: Number(m[2]) } : { file: arg };
}
