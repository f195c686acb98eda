import { errorMessage } from "../source/errors.ts";
import { readFileSync } from "node:fs";
import type { GoTemplateSource, SourceDocument } from "../model/index.ts";
import { LoadError } from "../source/diagnostics.ts";
import { GoTemplateError, execute, parseGoTemplate } from "../source/gotemplate.ts";
import { parseYamlDocuments } from "../source/yaml.ts";
import { displayPath, type LoadContext, type ParsedFile } from "./loader.ts";

/**
 * kuttl's `.gotmpl.yaml` step files (kuttl ≥ 0.23): Go text/template source, executed with
 * `.Namespace` (the test's namespace) and `.Vars` (`--template-var name=value`, each value read as
 * YAML) before the result is read as YAML. The namespace is known only when the test runs, so the
 * operations built from such a file carry its source and render it then (ops/render.ts). Here it is
 * rendered once with a stand-in namespace, so that a syntax error, an unknown function or a broken
 * result stops the load with its position, and so that its objects can be checked and listed.
 */

export const TEMPLATE_SUFFIX = ".gotmpl.yaml";

/** The namespace the load-time rendering uses; the real one replaces it when the test runs. */
const STAND_IN_NAMESPACE = "kuttl-test-namespace";

/** Documents rendered from a template file, by document: the operations they go into render it again. */
const sources = new WeakMap<SourceDocument, GoTemplateSource>();

export function isTemplateFile(path: string): boolean {
  return path.endsWith(TEMPLATE_SUFFIX);
}

export function templateOf(doc: SourceDocument): GoTemplateSource | undefined {
  return sources.get(doc);
}

/** A `.gotmpl.yaml` file, rendered with the stand-in namespace; errors carry the file's positions. */
export function readTemplateFile(absPath: string, ctx: LoadContext): ParsedFile {
  const file = displayPath(absPath, ctx.rootDir);
  const fail = (line: number, col: number, message: string, expected?: string): ParsedFile => ({
    documents: [],
    errors: [new LoadError({ file, line, col, message, ...(expected === undefined ? {} : { expected }) })],
  });
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (error) {
    return fail(0, 0, `cannot read file: ${errorMessage(error)}`);
  }
  const source: GoTemplateSource = { file, text, vars: ctx.templateVars ?? {} };
  let rendered: string;
  try {
    rendered = execute(parseGoTemplate(text), { Namespace: STAND_IN_NAMESPACE, Vars: source.vars });
  } catch (error) {
    if (!(error instanceof GoTemplateError)) throw error;
    return fail(
      error.line,
      error.col,
      `template: ${error.message}`,
      "a Go text/template (kuttl's .gotmpl.yaml)",
    );
  }
  // Positions in the rendered text: the template's lines move wherever its actions print several.
  const parsed = parseYamlDocuments(rendered, `${file} (rendered)`, { kuttlSeparators: true });
  const listed = parsed.documents.find((doc) => {
    const kind = (doc.value as { kind?: unknown } | null)?.kind;
    return typeof kind === "string" && kind.endsWith("List");
  });
  if (listed !== undefined) {
    return fail(
      listed.location.line,
      listed.location.col,
      "a List in a .gotmpl.yaml file is not supported",
      "its items as documents of their own, separated by ---",
    );
  }
  for (const doc of parsed.documents) sources.set(doc, source);
  return { documents: parsed.documents, errors: parsed.errors };
}

/** Consecutive documents that come from the same template file (or from none), in order. */
export function templateRuns(
  docs: readonly SourceDocument[],
): { docs: SourceDocument[]; template?: GoTemplateSource }[] {
  const runs: { docs: SourceDocument[]; template?: GoTemplateSource }[] = [];
  for (const doc of docs) {
    const template = sources.get(doc);
    const last = runs[runs.length - 1];
    if (last !== undefined && last.template === template) last.docs.push(doc);
    else runs.push({ docs: [doc], ...(template === undefined ? {} : { template }) });
  }
  return runs;
}
