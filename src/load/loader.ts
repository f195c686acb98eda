import { isAbsolute, relative, sep } from "node:path";
import type { SourceDocument, Test } from "../model/index.ts";
import type { LoadError } from "../source/diagnostics.ts";

/**
 * The extension point for input formats. A loader knows one format and nothing about running:
 * it turns a file (or, for directory-based formats such as kuttl, a directory) into model Tests.
 * Adding a format is one file exporting a `Loader` plus one entry in discovery's default list.
 */
export interface Loader {
  /** Short format name, e.g. `chainsaw`, `kuttl`, `vk-test-set`. */
  readonly name: string;
  /**
   * Whether `path` belongs to this format. Called for files and for directories during discovery;
   * a loader that claims a directory receives it whole and discovery does not descend into it.
   * Must be cheap (no full parse): it runs for every YAML file under the given paths.
   */
  detect(path: string, ctx?: LoadContext): boolean;
  /** Every test in `path`. Throws `LoadErrors` (with file:line:col) on any problem. */
  load(path: string, ctx: LoadContext): Test[];
}

export interface LoadContext {
  /** Test ids and messages show paths relative to this directory (normally the working directory). */
  rootDir: string;
  /** Chainsaw's `testFile` (default `chainsaw-test`): the conventional test file name, extension optional. */
  testFile?: string;
  /** `template` when no operation, step or test sets it (the configuration's `templating.enabled`). */
  template?: boolean;
  /**
   * kuttl's `--config`: the absolute path of the TestSuite file that governs every kuttl test case of
   * the run, or `null` for none (`--config /dev/null`). Unset: `kuttl-test.yaml` files are found.
   */
  kuttlConfig?: string | null;
  /** kuttl's `--template-var` values: `.Vars` of `.gotmpl.yaml` step files. */
  templateVars?: Record<string, unknown>;
  /** kuttl's `--test-run-labels`: what TestCase and TestFile `testRunSelector`s match (none: {}). */
  testRunLabels?: Record<string, string>;
  /** vk-test-set: the configuration file given (`--config`), and whether upstream's bugs are fixed. */
  vkTestSet?: VkTestSetOptions;
  /**
   * Where loaders put what they accept but report (a duplicated YAML key, a file nothing runs), once per
   * file; discovery returns them with the suite.
   */
  warnings?: LoadError[];
  /** Referenced files already parsed, keyed by absolute path: many tests share the same manifests. */
  cache?: Map<string, ParsedFile>;
}

export interface VkTestSetOptions {
  /** Absolute path of the `vktest_config.yaml` to use (`--config`); else `$VKTEST_CONFIG`, else the directory's. */
  config?: string;
  /** `--vk-test-set-fixes`: upstream's bugs fixed instead of reproduced (docs/vk-test-set.md lists them). */
  fixes?: boolean;
}

/** A referenced YAML file after parsing (errors are kept so every referencing test reports them). */
export interface ParsedFile {
  documents: SourceDocument[];
  errors: LoadError[];
  warnings?: LoadError[];
}

/** `path` relative to the root with `/` separators when inside it; absolute otherwise. */
export function displayPath(absPath: string, rootDir: string): string {
  const rel = relative(rootDir, absPath);
  if (rel === "") return ".";
  if (rel.startsWith("..") || isAbsolute(rel)) return absPath;
  return sep === "/" ? rel : rel.split(sep).join("/");
}
