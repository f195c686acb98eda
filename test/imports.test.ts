import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

/**
 * The folders of src/ import each other in one direction (the DEPS.md files say which, as an example
 * to follow). What is checked here is only what is wrong whatever the layering: a cycle between two
 * folders, which makes neither usable without the other and is how upward imports show up first.
 */

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/**
 * Edges known to close a cycle, each with what removes it. The test fails when one is gone too, so
 * that the list stays true.
 */
const KNOWN: readonly { edge: string; until: string }[] = [];

interface Edge {
  from: string;
  to: string;
  /** `src/<file> -> <specifier>`, for messages. */
  site: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** `cli` for src/cli/**, `index.ts` for a file directly in src/. */
function folderOf(absPath: string): string {
  return relative(SRC, absPath).split(sep)[0] ?? "";
}

/** Static imports and re-exports (`from "…"`), dynamic imports and `import("…")` types. */
const SPECIFIER =
  /\bfrom\s*"(\.{1,2}\/[^"]+)"|\bimport\s*\(\s*"(\.{1,2}\/[^"]+)"\s*\)|^import\s+"(\.{1,2}\/[^"]+)"/gm;

function crossFolderEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? "";
      const from = folderOf(file);
      const to = folderOf(resolve(dirname(file), specifier));
      const site = `src/${relative(SRC, file).split(sep).join("/")} -> ${specifier}`;
      if (from !== to) edges.push({ from, to, site });
    }
  }
  return edges;
}

/** Strongly connected components of more than one folder (Tarjan), each sorted. */
function cycles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    next.set(from, (next.get(from) ?? new Set()).add(to));
    if (!next.has(to)) next.set(to, new Set());
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

describe("imports between the folders of src/", () => {
  const edges = crossFolderEdges();

  it("finds the imports it checks", () => {
    // A walker that found nothing would pass the cycle check below without checking anything.
    const sites = new Set(edges.map((e) => `${e.from} -> ${e.to}`));
    for (const expected of ["cli -> run", "run -> ops", "ops -> kube", "load -> source", "report -> model"])
      assert.ok(sites.has(expected), `no ${expected} edge found: the import pattern misses imports`);
  });

  it("tells a cycle from a chain", () => {
    const edge = (from: string, to: string): Edge => ({ from, to, site: `${from} -> ${to}` });
    assert.deepEqual(cycles([edge("a", "b"), edge("b", "c"), edge("c", "a"), edge("c", "d")]), [
      ["a", "b", "c"],
    ]);
    assert.deepEqual(cycles([edge("a", "b"), edge("b", "c"), edge("a", "c")]), []);
  });

  it("form no cycle", () => {
    const known = new Set(KNOWN.map((k) => k.edge));
    const checked = edges.filter((e) => !known.has(e.site));
    const problems = cycles(checked).map((members) => {
      const inside = new Set(members);
      const sites = checked.filter((e) => inside.has(e.from) && inside.has(e.to)).map((e) => `  ${e.site}`);
      return `cycle between ${members.join(", ")}:\n${sites.join("\n")}`;
    });
    assert.deepEqual(problems, [], `${problems.join("\n")}\nsee the DEPS.md files for which way imports go`);
  });

  it("lists only known cycle edges that still exist", () => {
    const present = new Set(edges.map((e) => e.site));
    const stale = KNOWN.filter((k) => !present.has(k.edge)).map((k) => `${k.edge} (${k.until})`);
    assert.deepEqual(stale, [], "these edges are gone: remove them from KNOWN in test/imports.test.ts");
  });
});

describe("imports of the top-level folders", () => {
  const ROOT = fileURLToPath(new URL("../", import.meta.url));

  /** `<folder>/<file> -> <specifier>` for each relative import of a file under `folder` that lands in `target`. */
  function importsInto(folder: string, target: string): string[] {
    const into = join(ROOT, target) + sep;
    return sourceFiles(join(ROOT, folder)).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(SPECIFIER)]
        .map((match) => match[1] ?? match[2] ?? match[3] ?? "")
        .filter((specifier) => resolve(dirname(file), specifier).startsWith(into))
        .map((specifier) => `${relative(ROOT, file).split(sep).join("/")} -> ${specifier}`),
    );
  }

  it("finds the imports it checks", () => {
    assert.ok(
      importsInto("bench", "src").length > 0,
      "no bench -> src import found: the pattern misses imports",
    );
  });

  it("keep benches off test code: what both need lives in bench/, tools/ or src/", () => {
    assert.deepEqual(importsInto("bench", "test"), []);
  });
});
