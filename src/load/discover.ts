import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Suite, Test } from "../model/index.ts";
import { chainsawLoader, DEFAULT_TEST_FILE } from "./chainsaw.ts";
import { LoadError, LoadErrors, sortErrors, toLoadWarnings } from "../source/diagnostics.ts";
import { kuttlLoader } from "./kuttl.ts";
import { vkTestSetLoader } from "./vk-test-set.ts";
import {
  displayPath,
  type LoadContext,
  type Loader,
  type ParsedFile,
  type VkTestSetOptions,
} from "./loader.ts";
import { errorMessage } from "../source/errors.ts";

/** Formats tried in order; the first whose `detect` accepts a path loads it. New formats go here. */
export const DEFAULT_LOADERS: readonly Loader[] = [vkTestSetLoader, chainsawLoader, kuttlLoader];

export interface DiscoverOptions {
  /** Ids and messages are relative to this directory (default: the working directory). */
  rootDir?: string;
  /** Chainsaw's `testFile` convention (default `chainsaw-test`). */
  testFile?: string;
  /** Only keep tests whose name matches (Chainsaw's `includeTestRegex`). */
  includeTestRegex?: string;
  /** Drop tests whose name matches (Chainsaw's `excludeTestRegex`). */
  excludeTestRegex?: string;
  /** Default for `template` (the configuration's `templating.enabled`). */
  template?: boolean;
  /** kuttl's `--config`: the TestSuite file for every kuttl test case, or `null` for none. */
  kuttlConfig?: string | null;
  /** kuttl's `--template-var` values: `.Vars` of `.gotmpl.yaml` step files. */
  templateVars?: Record<string, unknown>;
  /** kuttl's `--test-run-labels`: what TestCase and TestFile `testRunSelector`s match. */
  testRunLabels?: Record<string, string>;
  /** vk-test-set's configuration file (`--config`) and `--vk-test-set-fixes`. */
  vkTestSet?: VkTestSetOptions;
  loaders?: readonly Loader[];
}

const SKIPPED_DIRS = new Set(["node_modules"]);
const YAML_FILE = /\.ya?ml$/i;

/**
 * Finds and loads every test under `paths` (files or directories, recursively). Directories named
 * `node_modules` or starting with a dot are skipped. Problems in all files are collected and thrown
 * together as `LoadErrors`, so a single run lists everything to fix.
 */
export function discover(paths: readonly string[], options: DiscoverOptions = {}): Suite {
  const rootDir = resolve(options.rootDir ?? process.cwd());
  const loaders = options.loaders ?? DEFAULT_LOADERS;
  const ctx: LoadContext = {
    rootDir,
    testFile: options.testFile ?? DEFAULT_TEST_FILE,
    cache: new Map<string, ParsedFile>(),
    warnings: [],
    ...(options.template === undefined ? {} : { template: options.template }),
    ...(options.kuttlConfig === undefined ? {} : { kuttlConfig: options.kuttlConfig }),
    ...(options.templateVars === undefined ? {} : { templateVars: options.templateVars }),
    ...(options.testRunLabels === undefined ? {} : { testRunLabels: options.testRunLabels }),
    ...(options.vkTestSet === undefined ? {} : { vkTestSet: options.vkTestSet }),
  };
  const errors: LoadError[] = [];
  const tests: Test[] = [];
  const seen = new Set<string>();

  const loadWith = (loader: Loader, path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    try {
      tests.push(...loader.load(path, ctx));
    } catch (err) {
      if (err instanceof LoadErrors) errors.push(...err.errors);
      else throw err;
    }
  };

  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (err) {
      errors.push(noPosition(dir, rootDir, `cannot read directory: ${errorMessage(err)}`));
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      const kind = entryKind(path);
      if (kind === "dir") {
        if (name.startsWith(".") || SKIPPED_DIRS.has(name)) continue;
        const loader = loaders.find((l) => l.detect(path, ctx));
        if (loader !== undefined) loadWith(loader, path);
        else walk(path);
      } else if (kind === "file" && YAML_FILE.test(name)) {
        const loader = loaders.find((l) => l.detect(path, ctx));
        if (loader !== undefined) loadWith(loader, path);
      }
    }
  };

  for (const given of paths) {
    const path = resolve(given);
    const kind = entryKind(path);
    if (kind === "missing") {
      errors.push(noPosition(path, rootDir, "no such file or directory"));
    } else if (kind === "dir") {
      const loader = loaders.find((l) => l.detect(path, ctx));
      if (loader !== undefined) loadWith(loader, path);
      else walk(path);
    } else {
      // A file named explicitly is expected to be a test: say so if no format recognises it.
      const loader = loaders.find((l) => l.detect(path, ctx)) ?? fallbackFor(path, loaders);
      if (loader !== undefined) loadWith(loader, path);
      else errors.push(noPosition(path, rootDir, "not a test file", "a YAML file with kind: Test"));
    }
  }

  if (errors.length > 0) throw new LoadErrors(sortErrors(errors));
  const warnings = toLoadWarnings(ctx.warnings ?? []);
  return { rootDir, tests: filterTests(tests, options), ...(warnings.length > 0 ? { warnings } : {}) };
}

/** An explicit YAML path goes to the Chainsaw loader, whose errors then say what is wrong with it. */
function fallbackFor(path: string, loaders: readonly Loader[]): Loader | undefined {
  return YAML_FILE.test(path) ? loaders.find((l) => l.name === "chainsaw") : undefined;
}

function filterTests(tests: readonly Test[], options: DiscoverOptions): Test[] {
  const include = options.includeTestRegex === undefined ? undefined : new RegExp(options.includeTestRegex);
  const exclude = options.excludeTestRegex === undefined ? undefined : new RegExp(options.excludeTestRegex);
  return tests.filter(
    (t) =>
      (include === undefined || include.test(t.name)) && (exclude === undefined || !exclude.test(t.name)),
  );
}

function entryKind(path: string): "file" | "dir" | "missing" | "other" {
  try {
    const st = statSync(path);
    return st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}

function noPosition(path: string, rootDir: string, message: string, expected?: string): LoadError {
  return new LoadError({
    file: displayPath(path, rootDir),
    line: 0,
    col: 0,
    message,
    ...(expected === undefined ? {} : { expected }),
  });
}
