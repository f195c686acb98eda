import { basename, dirname, join, resolve } from "node:path";
import type { SourceDocument, SuiteSetup, Test } from "../model/index.ts";
import { testId } from "../model/index.ts";
import { defined } from "./chainsaw-ops.ts";
import { errorAt, LoadError, LoadErrors, sortErrors } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { isDirectory, isFile, parseReferencedFile } from "./files.ts";
import {
  governingSuite,
  hasSteps,
  holdsChainsawTest,
  isStepEntryName,
  isSuiteFile,
  isTestCaseDir,
  listDir,
  stepGroups,
  suiteWorkDir,
  workDirOf,
  type SuitePaths,
} from "./kuttl-layout.ts";
import { ignoredFieldWarnings, KUTTL_GROUP, testSuite, type ParsedTestSuite } from "./kuttl-schema.ts";
import {
  hasTestCaseFile,
  readTestCase,
  selectorMatches,
  selectorText,
  type ReadTestCase,
} from "./kuttl-case.ts";
import { kuttlSetup } from "./kuttl-setup.ts";
import { buildStep } from "./kuttl-step.ts";
import { unusedFileWarnings } from "./kuttl-unused.ts";
import { displayPath, type LoadContext, type Loader } from "./loader.ts";

/**
 * kuttl test directories (kuttl.dev/v1beta1): a test case is a directory of numbered step files, run
 * in index order; `kuttl-test.yaml` (a TestSuite) lists the directories holding test cases and sets
 * their timeout, namespace and clean-up. See docs/kuttl.md for how each kuttl feature maps.
 */

/** kuttl's default step timeout, in seconds, when the suite sets none (or 0). */
export const KUTTL_DEFAULT_TIMEOUT = 30;

/** What a TestSuite sets on each of its test cases. */
interface SuiteSettings {
  timeout: number;
  namespace?: string;
  skipDelete?: boolean;
  concurrent: boolean;
  /** crdDir, manifestDirs and commands: one object for every test of the suite. */
  setup?: SuiteSetup;
}

interface ReadSuite {
  doc: SourceDocument;
  spec: ParsedTestSuite;
  settings: SuiteSettings;
  /** Where kuttl would run it: its paths resolve from here (see suiteWorkDir). */
  workDir: string;
}

const DEFAULTS: SuiteSettings = { timeout: KUTTL_DEFAULT_TIMEOUT, concurrent: true };

/**
 * Test cases already loaded in one discovery. A walk can reach a test case twice, through its suite
 * file and as a directory of its own; both give the same test, so the second is dropped.
 */
const loadedCases = new WeakMap<LoadContext, Set<string>>();

/**
 * Suite files already read in one discovery: every test case of a suite must share one set-up, which
 * then runs once, however its test cases were reached (listed by the suite, or named by themselves).
 */
const readSuites = new WeakMap<LoadContext, Map<string, ReadSuite | undefined>>();

export const kuttlLoader: Loader = {
  name: "kuttl",
  detect(path: string, ctx?: LoadContext): boolean {
    if (isDirectory(path)) return isTestCaseDir(path, ctx);
    if (isSuiteFile(path)) return readsSuiteFile(path, ctx);
    // A step file named on the command line (the file part of a test id) stands for its test case.
    return isFile(path) && isStepEntryName(basename(path)) && isTestCaseDir(dirname(path), ctx);
  },
  load(path: string, ctx: LoadContext): Test[] {
    const abs = resolve(path);
    const errors: LoadError[] = [];
    const tests = isSuiteFile(abs)
      ? readsSuiteFile(abs, ctx)
        ? loadSuite(abs, ctx, errors)
        : []
      : loadCase(isDirectory(abs) ? abs : dirname(abs), ctx, errors);
    if (errors.length > 0) throw new LoadErrors(sortErrors(errors));
    return tests;
  },
};

/** kuttl reads one suite file: with `--config` that one (none with `--config /dev/null`). */
function readsSuiteFile(path: string, ctx?: LoadContext): boolean {
  const config = ctx?.kuttlConfig;
  return config === undefined || config === resolve(path);
}

/** The test cases of a kuttl-test.yaml: every subdirectory with steps of each of its `testDirs`. */
function loadSuite(file: string, ctx: LoadContext, errors: LoadError[]): Test[] {
  const suite = cachedSuite(file, ctx, errors);
  if (suite === undefined) return [];
  const { settings } = suite;
  const testDirs = suite.spec.testDirs ?? [];
  // Without testDirs kuttl takes the directories from its command line; every test case below the
  // suite file is the closest equivalent.
  if (testDirs.length === 0) return findCases(dirname(file), ctx, errors, settings);
  const tests: Test[] = [];
  testDirs.forEach((written, i) => {
    const dir = resolve(suite.workDir, written);
    if (!isDirectory(dir)) {
      errors.push(
        errorAt(suite.doc, ["testDirs", i], {
          message: `test directory ${JSON.stringify(written)} not found`,
          expected: `a directory relative to ${shownDir(suite.workDir, ctx)}`,
          hint:
            suite.workDir === workDirOf(ctx)
              ? "kuttl resolves testDirs from the directory it runs in: run kubeproof where kuttl runs"
              : undefined,
        }),
      );
      return;
    }
    for (const name of listDir(dir)) {
      const sub = join(dir, name);
      if (name.startsWith(".") || !isDirectory(sub) || !(hasSteps(sub) || hasTestCaseFile(sub))) continue;
      if (holdsChainsawTest(sub, listDir(sub), ctx)) continue;
      tests.push(...loadCase(sub, ctx, errors, settings));
    }
  });
  return tests;
}

function shownDir(dir: string, ctx: LoadContext): string {
  return dir === workDirOf(ctx) ? "the working directory" : `${displayPath(dir, ctx.rootDir)}/`;
}

function findCases(dir: string, ctx: LoadContext, errors: LoadError[], settings: SuiteSettings): Test[] {
  const tests: Test[] = [];
  for (const name of listDir(dir)) {
    const sub = join(dir, name);
    if (name.startsWith(".") || name === "node_modules" || !isDirectory(sub)) continue;
    if (isTestCaseDir(sub, ctx)) tests.push(...loadCase(sub, ctx, errors, settings));
    else tests.push(...findCases(sub, ctx, errors, settings));
  }
  return tests;
}

function loadCase(dir: string, ctx: LoadContext, errors: LoadError[], given?: SuiteSettings): Test[] {
  let loaded = loadedCases.get(ctx);
  if (loaded === undefined) loadedCases.set(ctx, (loaded = new Set()));
  if (loaded.has(dir)) return [];
  loaded.add(dir);
  const settings = given ?? settingsFor(dir, ctx, errors);
  const groups = stepGroups(dir);
  const testCase = readTestCase(dir, ctx, errors);
  const first = groups[0];
  // A test-case.yaml makes a test case of a folder without steps, as kuttl runs every folder it is
  // given: the test creates and deletes its namespace, and passes.
  if (first === undefined && !hasTestCaseFile(dir)) {
    errors.push(
      new LoadError({
        file: displayPath(dir, ctx.rootDir),
        line: 0,
        col: 0,
        message: "no kuttl test steps in this directory",
        expected: "step files named <index>-<name>.yaml, such as 00-install.yaml and 00-assert.yaml",
      }),
    );
    return [];
  }
  const before = errors.length;
  const referenced = new Set<string>(testCase === undefined ? [] : [testCase.file]);
  const steps = groups.map((group) =>
    buildStep(group, { testDir: dir, load: ctx, suiteTimeout: settings.timeout, errors, referenced }),
  );
  if (errors.length > before) return [];
  ctx.warnings?.push(...unusedFileWarnings(dir, groups, steps, referenced, ctx));
  const file = displayPath(testCase?.file ?? first?.files[0] ?? first?.entry ?? dir, ctx.rootDir);
  const name = basename(dir);
  const skipReason = testCase && notSelected(testCase, ctx);
  return [
    {
      // A test case is a directory: its id is the directory and its name, whatever its step files.
      id: testId(displayPath(dir, ctx.rootDir), name),
      name,
      location: { file, line: 1, col: 1 },
      format: "kuttl",
      labels: {},
      timeouts: {},
      bindings: [],
      skip: skipReason !== undefined,
      ...defined({ skipReason }),
      concurrent: settings.concurrent,
      template: false,
      steps,
      catch: [],
      baseDir: dir,
      ...defined({ namespace: settings.namespace, skipDelete: settings.skipDelete, setup: settings.setup }),
    },
  ];
}

/** Why a TestCase's testRunSelector leaves its test case out of this run, or undefined. */
function notSelected(testCase: ReadTestCase, ctx: LoadContext): string | undefined {
  const selector = testCase.spec.testRunSelector;
  const labels = ctx.testRunLabels ?? {};
  if (selector === undefined || selector === null || selectorMatches(selector, labels)) return undefined;
  const given = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return (
    `testRunSelector ${selectorText(selector)} (${displayPath(testCase.file, ctx.rootDir)}) does not match ` +
    (given.length === 0 ? "this run (no --test-run-labels)" : `--test-run-labels ${given.join(",")}`)
  );
}

/** The settings of the suite that runs `dir`, or kuttl's defaults when no suite file governs it. */
function settingsFor(dir: string, ctx: LoadContext, errors: LoadError[]): SuiteSettings {
  const file = governingSuite(dir, ctx);
  if (file === undefined) return DEFAULTS;
  return cachedSuite(file, ctx, errors)?.settings ?? DEFAULTS;
}

function cachedSuite(file: string, ctx: LoadContext, errors: LoadError[]): ReadSuite | undefined {
  let suites = readSuites.get(ctx);
  if (suites === undefined) readSuites.set(ctx, (suites = new Map<string, ReadSuite | undefined>()));
  if (suites.has(file)) return suites.get(file);
  const suite = readSuite(file, ctx, errors);
  let read: ReadSuite | undefined;
  if (suite !== undefined) {
    const workDir = suiteWorkDir(file, suitePaths(suite.spec), ctx);
    const setup = kuttlSetup({ ...suite, workDir }, ctx, errors);
    read = { ...suite, workDir, settings: settingsOf(suite.spec, setup) };
  }
  suites.set(file, read);
  return read;
}

function suitePaths(spec: ParsedTestSuite): SuitePaths {
  return { testDirs: spec.testDirs ?? [], setup: [spec.crdDir ?? "", ...(spec.manifestDirs ?? [])] };
}

function settingsOf(spec: ParsedTestSuite, setup: SuiteSetup | undefined): SuiteSettings {
  return {
    ...defined({ setup }),
    timeout: spec.timeout || KUTTL_DEFAULT_TIMEOUT,
    // kuttl's `parallel` caps concurrent tests; only 1 (one at a time) has a per-test equivalent.
    concurrent: spec.parallel !== 1,
    ...defined({ namespace: spec.namespace || undefined, skipDelete: spec.skipDelete || undefined }),
  };
}

function readSuite(
  file: string,
  ctx: LoadContext,
  errors: LoadError[],
): { doc: SourceDocument; spec: ParsedTestSuite } | undefined {
  const parsed = parseReferencedFile(file, ctx);
  errors.push(...parsed.errors);
  if (parsed.errors.length > 0) return undefined;
  let found: { doc: SourceDocument; spec: ParsedTestSuite } | undefined;
  for (const doc of parsed.documents) {
    const value = doc.value as { apiVersion?: unknown; kind?: unknown } | null;
    const isSuite =
      value !== null &&
      typeof value === "object" &&
      value.kind === "TestSuite" &&
      typeof value.apiVersion === "string" &&
      value.apiVersion.startsWith(`${KUTTL_GROUP}/`);
    if (!isSuite || found !== undefined) {
      errors.push(
        errorAt(doc, value !== null && typeof value === "object" && "kind" in value ? ["kind"] : [], {
          message: isSuite
            ? "more than one TestSuite in this file"
            : "a kuttl suite file holds one TestSuite",
          expected: "apiVersion: kuttl.dev/v1beta1, kind: TestSuite",
          path: [],
        }),
      );
      continue;
    }
    const result = testSuite.safeParse(doc.value);
    if (!result.success) errors.push(...issuesToLoadErrors(result.error.issues, doc, testSuite));
    else found = { doc, spec: result.data };
    ctx.warnings?.push(...ignoredFieldWarnings(doc, "TestSuite"));
  }
  if (found === undefined && parsed.documents.length === 0) {
    errors.push(
      new LoadError({
        file: displayPath(file, ctx.rootDir),
        line: 1,
        col: 1,
        message: "found no TestSuite in this file",
        expected: "apiVersion: kuttl.dev/v1beta1, kind: TestSuite",
      }),
    );
  }
  return found;
}
