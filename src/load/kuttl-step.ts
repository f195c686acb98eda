import { basename, isAbsolute, join, resolve } from "node:path";
import type * as z from "zod";
import type { GoTemplateSource, Operation, SourceDocument, Step } from "../model/index.ts";
import { formatLocation } from "../model/index.ts";
import { errorAt, LoadError } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { checkManifest, isDirectory, isFile, parseReferencedFile } from "./files.ts";
import { commandOperation, expandVariables, type CommandSpec } from "./kuttl-command.ts";
import {
  applyOperations,
  assertOperation,
  collectorOperations,
  deleteOperations,
  expressionOperation,
} from "./kuttl-ops.ts";
import { fileRole, listDir, type FileRole, type StepGroup } from "./kuttl-layout.ts";
import {
  ignoredFieldWarnings,
  KUTTL_GROUP,
  testAssert,
  testFile,
  testStep,
  type ParsedTestAssert,
  type ParsedTestFile,
  type ParsedTestStep,
} from "./kuttl-schema.ts";
import { selectorMatches } from "./kuttl-case.ts";
import { isTemplateFile, readTemplateFile, templateRuns } from "./kuttl-template.ts";
import { displayPath, type LoadContext } from "./loader.ts";

/** What building a step needs from its test and suite. */
export interface StepContext {
  testDir: string;
  load: LoadContext;
  /** The suite's `timeout` in seconds (kuttl's default 30 when unset or 0). */
  suiteTimeout: number;
  errors: LoadError[];
  /** Files that TestStep `apply`, `assert` and `error` read (absolute paths), gathered for the test. */
  referenced: Set<string>;
}

/** A kuttl object that configures the step, with the document it came from (for positions). */
interface Configured<T> {
  doc: SourceDocument;
  spec: T;
}

interface StepContent {
  name?: string;
  step?: Configured<ParsedTestStep>;
  assert?: Configured<ParsedTestAssert>;
  apply: SourceDocument[];
  asserts: SourceDocument[];
  errors: SourceDocument[];
}

/** kuttl reads its files with its own splitter. */
const KUTTL_FILES = { kuttlSeparators: true } as const;

/** kuttl effectively runs "forever" with a negative command timeout; a day stands for that. */
const NO_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/**
 * One kuttl step as kuttl runs it (pkg/test/step.go Run): the TestStep's deletions, its commands, the
 * objects of the step files (created, or merge-patched when they exist), then the asserts, the
 * TestAssert's commands and the errors, each waited for up to the step's timeout. Collectors run when
 * the step fails.
 */
export function buildStep(group: StepGroup, sc: StepContext): Step {
  const content = readStepFiles(group, sc);
  const step = content.step;
  if (step !== undefined) addReferencedFiles(step, content, sc);
  const suiteMs = sc.suiteTimeout * 1000;
  // kuttl's Step.GetTimeout: the TestAssert's timeout, else the suite's; deletions and checks use it.
  const checkMs = (content.assert?.spec.timeout || sc.suiteTimeout) * 1000;
  const ops: Operation[] = [];
  if (step !== undefined) {
    ops.push(...deleteOperations(step.doc, step.spec, checkMs));
    (step.spec.commands ?? []).forEach((cmd, i) => {
      const timeoutMs =
        cmd.timeout === undefined || cmd.timeout === 0
          ? suiteMs
          : cmd.timeout < 0
            ? NO_TIMEOUT_MS
            : cmd.timeout * 1000;
      const options = { timeoutMs, continueOnError: cmd.ignoreFailure ?? false, retry: false };
      ops.push(command(cmd, step.doc, ["commands", i], options));
    });
  }
  for (const run of templateRuns(content.apply))
    ops.push(...applyOperations(run.docs, suiteMs).map((op) => withTemplate(op, run.template)));
  for (const run of templateRuns(content.asserts))
    ops.push(withTemplate(assertOperation("assert", run.docs, checkMs), run.template));
  const assert = content.assert;
  if (assert !== undefined) {
    (assert.spec.commands ?? []).forEach((cmd, i) => {
      // kuttl re-runs these with the asserts until they all pass: retried until the step's timeout.
      const options = { timeoutMs: checkMs, continueOnError: false, retry: true };
      ops.push(command(cmd, assert.doc, ["commands", i], options));
    });
  }
  const expressions = assert && expressionOperation(assert.doc, assert.spec, checkMs);
  if (expressions) ops.push(expressions);
  for (const run of templateRuns(content.errors))
    ops.push(withTemplate(assertOperation("error", run.docs, checkMs), run.template));
  const firstName = group.files.map((f) => fileRole(basename(f))?.name).find((n) => n !== undefined);
  const name = step?.spec.metadata?.name ?? content.name ?? firstName ?? "step";
  const shown = group.files[0] ?? group.entry;
  return {
    name: `${group.prefix}-${name}`,
    location: { file: displayPath(shown, sc.load.rootDir), line: 1, col: 1 },
    timeouts: {},
    bindings: [],
    template: false,
    try: ops,
    catch: assert === undefined ? [] : collectorOperations(assert.doc, assert.spec, suiteMs),
    finally: [],
    cleanup: [],
  };
}

function readStepFiles(group: StepGroup, sc: StepContext): StepContent {
  const content: StepContent = { apply: [], asserts: [], errors: [] };
  for (const file of group.files) {
    const role = fileRole(basename(file));
    const shown = displayPath(file, sc.load.rootDir);
    if (role === undefined) {
      sc.errors.push(
        new LoadError({
          file: shown,
          line: 0,
          col: 0,
          message: "file name does not follow kuttl's pattern, so kuttl cannot tell what it holds",
          expected: "<name>.yaml, assert.yaml, errors.yaml or <name>-<suffix>.yaml (no other dots)",
        }),
      );
      continue;
    }
    const template = isTemplateFile(file);
    const parsed = template
      ? readTemplateFile(file, sc.load)
      : parseReferencedFile(file, sc.load, KUTTL_FILES);
    sc.errors.push(...parsed.errors);
    if (template) {
      const configuring = parsed.documents.find((d) => kuttlKind(d) !== undefined);
      if (configuring !== undefined) {
        sc.errors.push(
          errorAt(configuring, ["kind"], {
            message: `a ${kuttlKind(configuring) ?? "kuttl object"} in a .gotmpl.yaml file is not supported`,
            expected: "it in a plain .yaml step file (commands can use $NAMESPACE)",
            path: [],
          }),
        );
        continue;
      }
    }
    if (!selectedByTestFile(parsed.documents, sc)) continue;
    if (role.role === "apply") content.name ??= role.name;
    for (const doc of parsed.documents) {
      const kind = kuttlKind(doc);
      if (kind === "TestFile") continue;
      if (kind === undefined) {
        sc.errors.push(...checkManifest(doc));
        (role.role === "apply"
          ? content.apply
          : role.role === "assert"
            ? content.asserts
            : content.errors
        ).push(doc);
      } else if (kind === "TestStep" && role.role === "apply") {
        const spec = validate(doc, testStep, sc);
        sc.load.warnings?.push(...ignoredFieldWarnings(doc, "TestStep"));
        if (content.step !== undefined) {
          sc.errors.push(
            errorAt(doc, ["kind"], {
              message: `more than one TestStep in step ${group.prefix}`,
              hint: `merge it with the one at ${formatLocation(content.step.doc.location)}`,
              path: [],
            }),
          );
        } else if (spec !== undefined) content.step = { doc, spec };
      } else if (kind === "TestAssert" && role.role === "assert") {
        // kuttl keeps the last TestAssert of a step; so does kubeproof.
        const spec = validate(doc, testAssert, sc);
        if (spec !== undefined) content.assert = { doc, spec };
      } else {
        sc.errors.push(misplaced(doc, kind, FOUND_IN[role.role]));
      }
    }
  }
  return content;
}

/** `kind` of a kuttl.dev object (any version: kuttl looks at the group only), else undefined. */
function kuttlKind(doc: SourceDocument): string | undefined {
  const value = doc.value as { apiVersion?: unknown; kind?: unknown } | null;
  if (value === null || typeof value !== "object") return undefined;
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== "string" || !apiVersion.startsWith(`${KUTTL_GROUP}/`)) return undefined;
  return typeof kind === "string" ? kind : "";
}

/** Where each kuttl kind belongs, for the error about one found elsewhere. */
const HOME_OF: Record<string, string> = {
  TestStep: "a step file (not an assert or errors file)",
  TestAssert: "the step's assert file (NN-assert.yaml)",
  TestFile: "the step file it selects",
  TestSuite: "kuttl-test.yaml",
};

/** `found` says where the object is: "a step file", "an assert file", "a file listed in TestStep.apply". */
function misplaced(doc: SourceDocument, kind: string, found: string): LoadError {
  const home = HOME_OF[kind];
  return errorAt(doc, ["kind"], {
    message:
      home === undefined
        ? `unknown kuttl kind ${JSON.stringify(kind)}`
        : `a ${kind} does not belong in ${found}`,
    expected: home === undefined ? "TestStep, TestAssert or TestFile" : `it in ${home}`,
    path: [],
  });
}

const FOUND_IN: Record<FileRole, string> = {
  apply: "a step file",
  assert: "an assert file",
  errors: "an errors file",
};

/**
 * kuttl's TestFile: a file is skipped when its testRunSelector does not match the run's labels
 * (`--test-run-labels`; none given: the empty set, which only selectors without requirements on
 * present labels match).
 */
function selectedByTestFile(docs: readonly SourceDocument[], sc: StepContext): boolean {
  const files = docs.filter((d) => kuttlKind(d) === "TestFile");
  for (const extra of files.slice(1)) {
    sc.errors.push(errorAt(extra, ["kind"], { message: "more than one TestFile in this file", path: [] }));
  }
  const first = files[0];
  if (first === undefined) return true;
  const spec: ParsedTestFile | undefined = validate(first, testFile, sc);
  if (spec === undefined) return true;
  return selectorMatches(spec.testRunSelector, sc.load.testRunLabels ?? {});
}

function validate<S extends z.ZodType>(
  doc: SourceDocument,
  schema: S,
  sc: StepContext,
): z.output<S> | undefined {
  const result = schema.safeParse(doc.value);
  if (result.success) return result.data;
  sc.errors.push(...issuesToLoadErrors(result.error.issues, doc, schema));
  return undefined;
}

/** TestStep `apply`, `assert` and `error`: files or directories of `*.yaml`, relative to the test case. */
function addReferencedFiles(step: Configured<ParsedTestStep>, content: StepContent, sc: StepContext): void {
  const lists = [
    ["apply", step.spec.apply, content.apply],
    ["assert", step.spec.assert, content.asserts],
    ["error", step.spec.error, content.errors],
  ] as const;
  for (const [key, paths, into] of lists) {
    (paths ?? []).forEach((written, i) => {
      const at = [key, i];
      // kuttl expands environment variables in these paths when it loads the test (env.Expand).
      const path = expandVariables(written)
        .map((p) => (typeof p === "string" ? p : (process.env[p.variable] ?? "")))
        .join("");
      if (/^https?:\/\//i.test(path)) {
        sc.errors.push(
          errorAt(step.doc, at, {
            message: `remote file ${JSON.stringify(path)} is not supported`,
            hint: "download it next to the test and reference the local copy",
          }),
        );
        return;
      }
      const abs = isAbsolute(path) ? path : resolve(sc.testDir, path);
      const files = isDirectory(abs)
        ? listDir(abs)
            .filter((f) => f.endsWith(".yaml"))
            .map((f) => join(abs, f))
        : isFile(abs)
          ? [abs]
          : [];
      if (files.length === 0) {
        sc.errors.push(
          errorAt(step.doc, at, {
            message: `${JSON.stringify(path)} ${isDirectory(abs) ? "holds no .yaml file" : "not found"}`,
            expected: `a file or directory relative to ${displayPath(sc.testDir, sc.load.rootDir)}/`,
          }),
        );
        return;
      }
      for (const file of files) {
        sc.referenced.add(file);
        const parsed = parseReferencedFile(file, sc.load, KUTTL_FILES);
        sc.errors.push(...parsed.errors);
        for (const doc of parsed.documents) {
          const kind = kuttlKind(doc);
          if (kind !== undefined) sc.errors.push(misplaced(doc, kind, `a file listed in TestStep.${key}`));
          else {
            sc.errors.push(...checkManifest(doc));
            into.push(doc);
          }
        }
      }
    });
  }
}

/** An operation built from a `.gotmpl.yaml` file renders it again with the test's namespace. */
function withTemplate<T extends Operation & { resources: SourceDocument[] }>(
  op: T,
  template?: GoTemplateSource,
): T {
  return template === undefined ? op : { ...op, goTemplate: template };
}

function command(
  spec: CommandSpec,
  doc: SourceDocument,
  at: (string | number)[],
  options: { timeoutMs: number; continueOnError: boolean; retry: boolean },
): Operation {
  return commandOperation(spec, { ...options, location: doc.locate(at) });
}
