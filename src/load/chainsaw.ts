import type * as z from "zod";
import { basename, dirname, extname, resolve } from "node:path";
import type { PathSegment, SourceDocument, Step, Test, Timeouts } from "../model/index.ts";
import { TestIdAllocator } from "../model/index.ts";
import {
  dialectOf,
  TEST_API_VERSIONS,
  testSchemaFor,
  type Dialect,
  type ParsedSpec,
  type ParsedStep,
  type ParsedTimeouts,
} from "../config/test-schema.ts";
import { isFile, readHead, readSourceText } from "./files.ts";
import { errorAt, LoadError, LoadErrors, sortErrors } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { bindings, convertOperations, defined, type OperationContext } from "./chainsaw-ops.ts";
import { clusterSelection, modifiedDocument } from "../ops/convert-parts.ts";
import { expandStepTemplate } from "./chainsaw-template.ts";
import { displayPath, type LoadContext, type Loader } from "./loader.ts";
import { parseYamlDocuments, subDocument } from "../source/yaml.ts";

/**
 * The native format: Chainsaw `Test` documents (`chainsaw.kyverno.io/v1alpha1`) and the same schema
 * under `kubeproof.dev/v1alpha1` with our extensions. One file may hold several tests.
 */

export const DEFAULT_TEST_FILE = "chainsaw-test";

/** Cheap sniff for a top-level `kind: Test` with a Chainsaw or kubeproof apiVersion. */
const KIND_TEST = /^kind:[ \t]*["']?Test["']?[ \t]*(?:#.*)?$/m;
const API_VERSION = /^apiVersion:[ \t]*["']?(?:chainsaw\.kyverno\.io|kubeproof\.dev)\//m;
const SNIFF_BYTES = 256 * 1024;

export const chainsawLoader: Loader = {
  name: "chainsaw",
  detect(path: string, ctx?: LoadContext): boolean {
    if (!/\.ya?ml$/i.test(path) || !isFile(path)) return false;
    if (isConventionalTestFile(path, ctx?.testFile ?? DEFAULT_TEST_FILE)) return true;
    const head = readHead(path, SNIFF_BYTES);
    return head !== undefined && KIND_TEST.test(head) && API_VERSION.test(head);
  },
  load(path: string, ctx: LoadContext): Test[] {
    return loadChainsawFile(path, ctx);
  },
};

/** `chainsaw-test.yaml`/`.yml` (or the configured `testFile`, with or without extension). */
export function isConventionalTestFile(path: string, testFile: string): boolean {
  const name = basename(path);
  if (extname(testFile) !== "") return name === testFile;
  return name === `${testFile}.yaml` || name === `${testFile}.yml`;
}

/** Every test in a file. Throws `LoadErrors` listing every problem, including in referenced files. */
export function loadChainsawFile(path: string, ctx: LoadContext): Test[] {
  const abs = resolve(path);
  return loadChainsawText(readSourceText(abs, ctx.rootDir, "file"), abs, ctx);
}

/** Like `loadChainsawFile` for text already in memory; `absPath` locates it and its references. */
export function loadChainsawText(text: string, absPath: string, ctx: LoadContext): Test[] {
  const file = displayPath(absPath, ctx.rootDir);
  const parsed = parseYamlDocuments(text, file);
  ctx.warnings?.push(...parsed.warnings);
  const errors: LoadError[] = [...parsed.errors];
  const tests: Test[] = [];
  const ids = new TestIdAllocator(file);
  for (const doc of parsed.documents) {
    tests.push(...convertDocument(doc, { absPath, ctx, errors, ids }));
  }
  if (tests.length === 0 && errors.length === 0) {
    errors.push(
      new LoadError({
        file,
        line: 1,
        col: 1,
        message: "found no test in this file",
        expected: `a document with kind: Test and apiVersion ${TEST_API_VERSIONS.join(" or ")}`,
      }),
    );
  }
  if (errors.length > 0) throw new LoadErrors(sortErrors(errors));
  return tests;
}

/** What converting one document of a file needs besides the document. */
interface FileContext {
  absPath: string;
  ctx: LoadContext;
  errors: LoadError[];
  ids: TestIdAllocator;
}

function convertDocument(doc: SourceDocument, fc: FileContext): Test[] {
  const { test, scenarios } = convertTest(doc, fc) ?? {};
  if (test === undefined) return [];
  if (scenarios === undefined || scenarios.length === 0) return [test];
  // Chainsaw runs a test once per scenario, its bindings first, `$test.scenarioId` counting from 1.
  return scenarios.map((scenario, i) => ({
    ...test,
    id: i === 0 ? test.id : fc.ids.next(test.name),
    scenarioId: i + 1,
    bindings: [...bindings(scenario.bindings), ...test.bindings],
  }));
}

function convertTest(
  doc: SourceDocument,
  fc: FileContext,
): { test: Test | undefined; scenarios?: ParsedSpec["scenarios"] } | undefined {
  const { absPath, ctx, errors } = fc;
  const header = checkHeader(doc);
  if (header instanceof LoadError) {
    errors.push(header);
    return undefined;
  }
  const schema = testSchemaFor(header);
  const result = schema.safeParse(doc.value);
  if (!result.success) {
    const skipped = skippedUnsupported(doc, result.error.issues, fc.ids);
    if (skipped) return { test: skipped };
    errors.push(...issuesToLoadErrors(result.error.issues, doc, schema));
    return undefined;
  }
  const { metadata, spec } = result.data;
  const baseDir = dirname(absPath);
  const template = spec.template ?? ctx.template ?? true;
  const oc: OperationContext = { doc, baseDir, load: ctx, template, errors };
  const before = errors.length;
  const name = metadata?.name ?? defaultTestName(baseDir);
  const test: Test = {
    id: fc.ids.next(name),
    name,
    location: doc.location,
    format: header,
    labels: metadata?.labels ?? {},
    timeouts: timeouts(spec.timeouts),
    bindings: bindings(spec.bindings),
    skip: spec.skip ?? false,
    concurrent: spec.concurrent ?? true,
    steps: spec.steps.flatMap((step, i) =>
      tableRows(step, ["spec", "steps", i], { ...oc, template: step.template ?? template }),
    ),
    catch: convertOperations(spec.catch, ["spec", "catch"], oc),
    baseDir,
    ...testOptions(spec, doc),
    ...clusterSelection(spec, baseDir),
  };
  return { test: errors.length > before ? undefined : test, scenarios: spec.scenarios };
}

function testOptions(spec: ParsedSpec, doc: SourceDocument): Partial<Test> {
  return {
    ...defined({
      description: spec.description,
      namespace: spec.namespace,
      skipDelete: spec.skipDelete,
      template: spec.template,
      compiler: spec.compiler,
      failFast: spec.failFast,
      deletionPropagationPolicy: spec.deletionPropagationPolicy,
      delayBeforeCleanupMs: spec.delayBeforeCleanup,
      forceTerminationGracePeriodMs: spec.forceTerminationGracePeriod,
    }),
    ...namespaceTemplate(spec, doc),
  };
}

/** `namespaceTemplate`, then Chainsaw's `namespaceModifiers` applied to it (or to an empty object). */
function namespaceTemplate(spec: ParsedSpec, doc: SourceDocument): Pick<Test, "namespaceTemplate"> {
  const written =
    spec.namespaceTemplate === undefined ? undefined : subDocument(doc, ["spec", "namespaceTemplate"]);
  if (spec.namespaceModifiers === undefined || spec.namespaceModifiers.length === 0)
    return written === undefined ? {} : { namespaceTemplate: written };
  const base = written ?? { ...subDocument(doc, ["spec", "namespaceModifiers"]), value: {} };
  return { namespaceTemplate: modifiedDocument(base, spec.namespaceModifiers) };
}

/**
 * kubeproof's step `table`: the step once per row, named `<step> [<row>]`, located at its row, with the
 * row's bindings before the step's own, so each row runs, passes or fails, and is reported, on its own.
 */
function tableRows(step: ParsedStep, path: PathSegment[], oc: OperationContext): Step[] {
  const converted = convertStep(step, path, oc);
  const table = Array.isArray(step.table)
    ? (step.table as { name?: string; bindings?: Parameters<typeof bindings>[0] }[])
    : undefined;
  if (table === undefined) return [converted];
  return table.map((row, i) => ({
    ...converted,
    name: `${converted.name} [${row.name ?? `row-${i + 1}`}]`,
    location: oc.doc.locate([...path, "table", i]),
    bindings: [...bindings(row.bindings), ...converted.bindings],
  }));
}

function convertStep(step: ParsedStep, path: PathSegment[], oc: OperationContext): Step {
  const index = path[path.length - 1];
  const own = bindings(step.bindings);
  const fromTemplate = step.use === undefined ? undefined : expandStepTemplate(step.use, path, oc);
  const blocks = fromTemplate ?? {
    bindings: [],
    try: convertOperations(step.try, [...path, "try"], oc),
    catch: convertOperations(step.catch, [...path, "catch"], oc),
    finally: convertOperations(step.finally, [...path, "finally"], oc),
    cleanup: convertOperations(step.cleanup, [...path, "cleanup"], oc),
  };
  return {
    name: step.name ?? `step-${typeof index === "number" ? index + 1 : 1}`,
    location: oc.doc.locate(path),
    timeouts: timeouts(step.timeouts),
    ...blocks,
    bindings: [...own, ...blocks.bindings],
    ...defined({
      description: step.description,
      skipDelete: step.skipDelete,
      template: step.template,
      compiler: step.compiler,
      deletionPropagationPolicy: step.deletionPropagationPolicy,
    }),
    ...clusterSelection(step, oc.baseDir),
  };
}

export function timeouts(t: ParsedTimeouts | undefined): Timeouts {
  if (t === undefined) return {};
  return defined({
    apply: t.apply,
    assert: t.assert,
    cleanup: t.cleanup,
    delete: t.delete,
    error: t.error,
    exec: t.exec,
  });
}

/** Chainsaw names unnamed tests after their folder, lower-cased with `_` turned into `-`. */
function defaultTestName(dir: string): string {
  return basename(dir).toLowerCase().replaceAll("_", "-");
}

/** apiVersion and kind decide which schema applies, so they are checked first with their own messages. */
function checkHeader(doc: SourceDocument): Dialect | LoadError {
  const value = doc.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return new LoadError({
      ...doc.location,
      message: "a test document must be a mapping",
      expected: "kind: Test",
    });
  }
  const { apiVersion, kind } = value as Record<string, unknown>;
  if (kind !== "Test") {
    const hint =
      kind === "StepTemplate"
        ? "a StepTemplate lives in a file of its own, run from a test step with use: {template: <file>}"
        : kind === "TestStep"
          ? "TestStep documents are not supported by kubeproof yet"
          : undefined;
    return errorAt(doc, kind === undefined ? [] : ["kind"], {
      message:
        kind === undefined
          ? 'missing required field "kind"'
          : `unexpected kind ${JSON.stringify(kind)} in a test file`,
      expected: "kind: Test",
      ...(hint === undefined ? {} : { hint }),
      path: [],
    });
  }
  const dialect = typeof apiVersion === "string" ? dialectOf(apiVersion) : undefined;
  if (dialect === undefined) {
    return errorAt(doc, apiVersion === undefined ? [] : ["apiVersion"], {
      message:
        apiVersion === undefined
          ? 'missing required field "apiVersion"'
          : `unsupported apiVersion ${JSON.stringify(apiVersion)}`,
      expected: TEST_API_VERSIONS.join(" or "),
      path: [],
    });
  }
  return dialect;
}

/**
 * A test marked `skip: true` that uses only features kubeproof does not implement is loaded as a
 * skipped test, as Chainsaw would skip it, instead of stopping the whole run. Any other problem in it
 * is still an error.
 */
function skippedUnsupported(
  doc: SourceDocument,
  issues: readonly z.core.$ZodIssue[],
  ids: TestIdAllocator,
): Test | undefined {
  const value = doc.value as { metadata?: { name?: unknown; labels?: unknown }; spec?: { skip?: unknown } };
  if (value.spec?.skip !== true) return undefined;
  const unsupportedOnly = issues.every(
    (issue) =>
      issue.code === "custom" &&
      (issue.params as { unsupported?: boolean } | undefined)?.unsupported === true,
  );
  if (!unsupportedOnly) return undefined;
  const name =
    typeof value.metadata?.name === "string"
      ? value.metadata.name
      : defaultTestName(dirname(doc.location.file));
  return {
    id: ids.next(name),
    name,
    location: doc.location,
    format: "chainsaw",
    labels: {},
    timeouts: {},
    bindings: [],
    skip: true,
    concurrent: true,
    steps: [],
    catch: [],
  };
}
