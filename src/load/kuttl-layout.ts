import { readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { chainsawLoader } from "./chainsaw.ts";
import { isDirectory, isFile, parseReferencedFile, readHead } from "./files.ts";
import { hasTestCaseFile } from "./kuttl-case.ts";
import type { LoadContext } from "./loader.ts";

/**
 * Where kuttl finds things (pkg/test/case.go, step.go, harness.go): a test case is a directory, its
 * steps are the entries named `<index>-<name>.yaml` (or `<index>-<name>/` directories of YAML files),
 * and `kuttl-test.yaml` holds the TestSuite whose `testDirs` list the directories of test cases.
 */

export const SUITE_FILE_NAME = "kuttl-test.yaml";

/**
 * kuttl's testStepRegex: the index prefix, then `.yaml`, or `.gotmpl.yaml` for a template (kuttl ≥
 * 0.23); `.yml` and other dotted names are not step files (kuttl ignores them; kubeproof warns).
 */
const STEP_ENTRY = /^(\d+)-[^.]+(?:\.gotmpl)?(?:\.yaml)?$/;
/** kuttl's fileNameRegex: the word after the index says whether a file holds asserts, errors or objects. */
const FILE_NAME = /^(?:\d+-)?([^-.]+)(-[^.]+)?(?:\.gotmpl)?(?:\.yaml)?$/;
const KUTTL_KIND = /^kind:[ \t]*["']?(?:TestStep|TestAssert|TestFile)["']?[ \t]*(?:#.*)?$/m;
const KUTTL_SUITE = /^kind:[ \t]*["']?TestSuite["']?[ \t]*(?:#.*)?$/m;
const KUTTL_API = /^apiVersion:[ \t]*["']?kuttl\.dev\//m;
const SNIFF_BYTES = 64 * 1024;

export type FileRole = "apply" | "assert" | "errors";

/** The files of one step, in kuttl's order (directory listing order, a step directory's files in place). */
export interface StepGroup {
  index: number;
  /** The index as written in the first entry (`00`), for the step's name. */
  prefix: string;
  files: string[];
  /** The first entry of the step (a file, or a step directory). */
  entry: string;
}

export function stepGroups(dir: string): StepGroup[] {
  const groups = new Map<number, StepGroup>();
  for (const name of listDir(dir)) {
    const match = STEP_ENTRY.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    const prefix = match[1] ?? "0";
    const index = Number.parseInt(prefix, 10);
    let group = groups.get(index);
    if (group === undefined) {
      group = { index, prefix, files: [], entry: path };
      groups.set(index, group);
    }
    if (isDirectory(path)) {
      group.files.push(
        ...listDir(path)
          .filter((f) => f.endsWith(".yaml") && isFile(join(path, f)))
          .map((f) => join(path, f)),
      );
    } else if (isFile(path)) {
      group.files.push(path);
    }
  }
  return [...groups.values()].sort((a, b) => a.index - b.index);
}

/** The role of a step file and the step name it gives (`00-install.yaml` → apply, `install`). */
export function fileRole(fileName: string): { role: FileRole; name: string } | undefined {
  const match = FILE_NAME.exec(fileName);
  if (!match) return undefined;
  const word = match[1] ?? "";
  const lower = word.toLowerCase();
  const role: FileRole = lower === "assert" ? "assert" : lower === "errors" ? "errors" : "apply";
  return { role, name: word + (match[2] ?? "") };
}

export function isStepEntryName(name: string): boolean {
  return STEP_ENTRY.test(name);
}

/** `kuttl-test.yaml`, or any YAML file whose top-level kind is a kuttl TestSuite. */
export function isSuiteFile(path: string): boolean {
  if (!isFile(path)) return false;
  if (basename(path) === SUITE_FILE_NAME) return true;
  if (!/\.ya?ml$/i.test(path)) return false;
  const head = readHead(path, SNIFF_BYTES);
  return head !== undefined && isKuttlSuiteText(head);
}

/** Whether YAML text holds a kuttl TestSuite (at the top level, by `kind` and `apiVersion`). */
export function isKuttlSuiteText(text: string): boolean {
  return KUTTL_SUITE.test(text) && KUTTL_API.test(text);
}

/**
 * Whether `dir` is a kuttl test case. Numbered YAML files alone are not enough (manifest folders are
 * often numbered): the directory also needs an assert or errors file, a kuttl object in a step file,
 * or a TestSuite that lists it. A `test-case.yaml` holding a kuttl TestCase is enough, steps or not.
 * A directory holding a Chainsaw test is Chainsaw's.
 */
export function isTestCaseDir(dir: string, ctx?: LoadContext): boolean {
  if (!isDirectory(dir)) return false;
  const entries = listDir(dir);
  const steps = entries.filter((name) => STEP_ENTRY.test(name));
  if (steps.length === 0 && !hasTestCaseFile(dir)) return false;
  if (holdsChainsawTest(dir, entries, ctx)) return false;
  if (hasTestCaseFile(dir)) return true;
  const files = steps.flatMap((name) => {
    const path = join(dir, name);
    return isDirectory(path)
      ? listDir(path)
          .filter((f) => f.endsWith(".yaml"))
          .map((f) => join(path, f))
      : [path];
  });
  if (files.some((f) => (fileRole(basename(f))?.role ?? "apply") !== "apply")) return true;
  const sniffed = files.some((f) => {
    const head = readHead(f, SNIFF_BYTES);
    return head !== undefined && KUTTL_KIND.test(head) && KUTTL_API.test(head);
  });
  return sniffed || listingSuite(dir, ctx) !== undefined;
}

/** Whether `dir` holds steps at all (a suite's test directory may hold other folders too). */
export function hasSteps(dir: string): boolean {
  return listDir(dir).some((name) => STEP_ENTRY.test(name));
}

export function holdsChainsawTest(dir: string, entries: readonly string[], ctx?: LoadContext): boolean {
  return entries.some((name) => /\.ya?ml$/i.test(name) && chainsawLoader.detect(join(dir, name), ctx));
}

/**
 * The TestSuite file whose `testDirs` list `testDir`'s parent, which makes a folder of numbered
 * manifests a test case. With `--config` only that file counts (kuttl reads one suite file); with
 * `--config /dev/null`, none. Otherwise the nearest `kuttl-test.yaml` up the tree that lists it, or one
 * without `testDirs` (kuttl then takes the directories from its command line, so such a file governs
 * every test case below it).
 */
export function listingSuite(testDir: string, ctx?: LoadContext): string | undefined {
  const parent = dirname(resolve(testDir));
  const config = ctx?.kuttlConfig;
  if (config === null) return undefined;
  if (config !== undefined) {
    const paths = rawSuitePaths(config, ctx);
    const base = suiteWorkDir(config, paths, ctx);
    return paths.testDirs.some((d) => resolve(base, d) === parent) ? config : undefined;
  }
  let dir = parent;
  for (;;) {
    const candidate = join(dir, SUITE_FILE_NAME);
    if (isFile(candidate)) {
      const paths = rawSuitePaths(candidate, ctx);
      if (paths.testDirs.length === 0) return candidate;
      const base = suiteWorkDir(candidate, paths, ctx);
      if (paths.testDirs.some((d) => resolve(base, d) === parent)) return candidate;
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The TestSuite file whose settings `testDir` runs with: the `--config` file (none with `--config
 * /dev/null`), else the one that lists it, else the working directory's `kuttl-test.yaml`, which kuttl
 * reads whatever test directories its command line names.
 */
export function governingSuite(testDir: string, ctx?: LoadContext): string | undefined {
  const config = ctx?.kuttlConfig;
  if (config !== undefined) return config ?? undefined;
  const listing = listingSuite(testDir, ctx);
  if (listing !== undefined) return listing;
  const own = join(workDirOf(ctx), SUITE_FILE_NAME);
  return isFile(own) ? own : undefined;
}

/** The paths a TestSuite names, as written: where its tests are and what its set-up installs. */
export interface SuitePaths {
  testDirs: readonly string[];
  /** `crdDir` and `manifestDirs`. */
  setup: readonly string[];
}

/**
 * The directory kuttl would run in for `suiteFile`, from which its `testDirs`, `crdDir` and
 * `manifestDirs` resolve and in which its commands run. kuttl takes them all from its working
 * directory, so for the `--config` file and for the working directory's own `kuttl-test.yaml`, that is
 * kubeproof's working directory. A suite file elsewhere, which kubeproof found (or was named) without
 * `--config`, was written to be run from somewhere: the working directory when every path it names
 * exists from there, else its own directory, as `cd <dir> && kubectl kuttl test` runs it.
 */
export function suiteWorkDir(suiteFile: string, paths: SuitePaths, ctx?: LoadContext): string {
  const workDir = workDirOf(ctx);
  const file = resolve(suiteFile);
  const own = dirname(file);
  if (own === workDir || ctx?.kuttlConfig === file) return workDir;
  const written = [...paths.testDirs, ...paths.setup].filter((p) => p !== "");
  const existFrom = (base: string): boolean =>
    written.every((p) => isDirectory(resolve(base, p)) || isFile(resolve(base, p)));
  if (written.length > 0 && existFrom(workDir)) return workDir;
  return own;
}

/** kuttl's working directory: kubeproof's (the directory ids are relative to). */
export function workDirOf(ctx?: LoadContext): string {
  return resolve(ctx?.rootDir ?? process.cwd());
}

/** What a suite file names, without validating the rest of it (that happens when it is loaded). */
export function rawSuitePaths(suiteFile: string, ctx?: LoadContext): SuitePaths {
  const parsed = parseReferencedFile(suiteFile, ctx ?? { rootDir: dirname(suiteFile) });
  const suite = parsed.documents.find((d) => (d.value as { kind?: unknown } | null)?.kind === "TestSuite");
  const value = (suite?.value ?? {}) as { testDirs?: unknown; crdDir?: unknown; manifestDirs?: unknown };
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((d): d is string => typeof d === "string") : [];
  return {
    testDirs: strings(value.testDirs),
    setup: [...(typeof value.crdDir === "string" ? [value.crdDir] : []), ...strings(value.manifestDirs)],
  };
}

/** Directory entries sorted by name, as Go's os.ReadDir returns them; [] when unreadable. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}
