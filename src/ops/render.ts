import type { Operation, SourceDocument } from "../model/index.ts";
import { GoTemplateError, renderGoTemplate } from "../source/gotemplate.ts";
import { parseYamlDocuments } from "../source/yaml.ts";
import { literalDocument } from "./assert/kuttl.ts";
import { OperationError } from "./types.ts";

/**
 * An operation whose resources come from a kuttl `.gotmpl.yaml` file, with them rendered for the test's
 * namespace, as kuttl renders the file when it runs the test (`.Namespace`, `.Vars`). Any other
 * operation is returned as it is. Fails at the file's position when rendering or parsing fails (the
 * load-time rendering succeeded, so only the namespace can make a difference).
 */
export function withRenderedResources(operation: Operation, namespace: string): Operation {
  if (!("goTemplate" in operation) || operation.goTemplate === undefined) return operation;
  const { file, text, vars } = operation.goTemplate;
  let rendered: string;
  try {
    rendered = renderGoTemplate(text, { Namespace: namespace, Vars: vars });
  } catch (error) {
    if (!(error instanceof GoTemplateError)) throw error;
    throw new OperationError(`template: ${error.message}`, { file, line: error.line, col: error.col });
  }
  const parsed = parseYamlDocuments(rendered, `${file} (rendered)`);
  const first = parsed.errors[0];
  if (first !== undefined)
    throw new OperationError(`the rendered template is not valid YAML: ${first.message}`, operation.location);
  const literal = operation.type === "assert" || operation.type === "error";
  const resources: SourceDocument[] = parsed.documents.map((doc) => (literal ? literalDocument(doc) : doc));
  return { ...operation, resources };
}
