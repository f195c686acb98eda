import { isAbsolute, resolve } from "node:path";
import type { Binding, Operation, PathSegment, SourceDocument } from "../model/index.ts";
import {
  CHAINSAW_API_VERSION,
  dialectOf,
  stepTemplateSchemaFor,
  TEST_API_VERSIONS,
  type ParsedStep,
  type ParsedStepTemplate,
} from "../config/test-schema.ts";
import { errorAt, type LoadError } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { bindings, convertOperations, type OperationContext } from "./chainsaw-ops.ts";
import { isFile, parseReferencedFile } from "./files.ts";
import { displayPath } from "./loader.ts";

/**
 * Chainsaw's step templates (`use`), as Chainsaw's discovery expands them when it loads a test: the
 * template file is relative to the test file, its operations become the step's, and its bindings are
 * defaults that `with.bindings` override (later bindings hide earlier ones of the same name). File
 * references inside a template resolve from the test's directory, as Chainsaw resolves them; positions
 * point into the template file.
 */

/** What a `use` step gets from its template. */
export interface TemplateBlocks {
  bindings: Binding[];
  try: Operation[];
  catch: Operation[];
  finally: Operation[];
  cleanup: Operation[];
}

type Use = NonNullable<ParsedStep["use"]>;

/** The expanded blocks, or undefined when the template cannot be used (the errors say why). */
export function expandStepTemplate(
  use: Use,
  path: readonly PathSegment[],
  oc: OperationContext,
): TemplateBlocks | undefined {
  const at = [...path, "use", "template"];
  const file = isAbsolute(use.template) ? use.template : resolve(oc.baseDir, use.template);
  if (!isFile(file)) {
    oc.errors.push(
      errorAt(oc.doc, at, {
        message: `step template ${JSON.stringify(use.template)} not found`,
        expected: `a StepTemplate file relative to ${displayPath(oc.baseDir, oc.load.rootDir)}/`,
      }),
    );
    return undefined;
  }
  const template = readTemplate(file, oc, (message) => errorAt(oc.doc, at, { message }));
  if (template === undefined) return undefined;
  const { doc, spec } = template;
  // Operations are positioned in the template, and templated like the step that uses it.
  const toc: OperationContext = { ...oc, doc };
  const before = oc.errors.length;
  const blocks: TemplateBlocks = {
    bindings: [...bindings(spec.bindings), ...bindings(use.with?.bindings)],
    try: convertOperations(spec.try, ["spec", "try"], toc),
    catch: convertOperations(spec.catch, ["spec", "catch"], toc),
    finally: convertOperations(spec.finally, ["spec", "finally"], toc),
    cleanup: convertOperations(spec.cleanup, ["spec", "cleanup"], toc),
  };
  return oc.errors.length > before ? undefined : blocks;
}

/** The one StepTemplate document of `file`, validated. */
function readTemplate(
  file: string,
  oc: OperationContext,
  atUse: (message: string) => LoadError,
): { doc: SourceDocument; spec: ParsedStepTemplate["spec"] } | undefined {
  const parsed = parseReferencedFile(file, oc.load);
  oc.errors.push(...parsed.errors);
  if (parsed.errors.length > 0) return undefined;
  const templates = parsed.documents.filter(
    (d) => (d.value as { kind?: unknown } | null)?.kind === "StepTemplate",
  );
  const [doc, extra] = templates;
  if (doc === undefined || extra !== undefined) {
    const shown = displayPath(file, oc.load.rootDir);
    oc.errors.push(
      atUse(
        doc === undefined
          ? `${shown} holds no StepTemplate`
          : `${shown} holds ${templates.length} StepTemplates; Chainsaw uses a file of exactly one`,
      ),
    );
    return undefined;
  }
  const apiVersion = (doc.value as { apiVersion?: unknown }).apiVersion;
  const dialect = typeof apiVersion === "string" ? dialectOf(apiVersion) : undefined;
  if (dialect === undefined) {
    oc.errors.push(
      errorAt(doc, ["apiVersion"], {
        message: `unsupported apiVersion ${JSON.stringify(apiVersion)} for a StepTemplate`,
        expected: TEST_API_VERSIONS.join(" or "),
        hint: `Chainsaw's is ${CHAINSAW_API_VERSION}`,
      }),
    );
    return undefined;
  }
  const schema = stepTemplateSchemaFor(dialect);
  const result = schema.safeParse(doc.value);
  if (!result.success) {
    oc.errors.push(...issuesToLoadErrors(result.error.issues, doc, schema));
    return undefined;
  }
  return { doc, spec: result.data.spec };
}
