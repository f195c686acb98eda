import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type {
  ApplyOperation,
  AssertOperation,
  Operation,
  PathSegment,
  SourceDocument,
  SourceLocation,
  Step,
  Test,
} from "../model/index.ts";
import { testId } from "../model/index.ts";
import { plainBase } from "../ops/unit.ts";
import { LoadError, LoadErrors, sortErrors } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { JinjaError, renderJinja, type Rendered } from "../source/jinja.ts";
import { parseYamlDocuments } from "../source/yaml.ts";
import { checkManifest, isDirectory, isFile } from "./files.ts";
import { displayPath, type LoadContext, type Loader } from "./loader.ts";
import { checkOperations, cleanups, upstreamFailure, type ParsedValidation } from "./vk-test-set-ops.ts";
import { validationSchema, vkConfigSchema, type VkConfig } from "./vk-test-set-schema.ts";

/**
 * vk-test-set (interTwin / interlink-hq): a `vktest_config.yaml` and Jinja2 templates, each a pod
 * manifest followed by a `# VALIDATION` section, run as its pytest runner runs them, with its test
 * ids. docs/vk-test-set.md maps every construct and lists where kubeproof differs.
 */

export const VK_CONFIG_FILE = "vktest_config.yaml";
/** The line that starts the validation section (upstream: `re.findall(r"\#+ *validation", s.lower())`). */
const VALIDATION_HEADER = /#+ *validation/;

export const vkTestSetLoader: Loader = {
  name: "vk-test-set",
  detect(path: string, ctx?: LoadContext): boolean {
    if (isDirectory(path)) return existsSync(join(path, VK_CONFIG_FILE)) || isGivenConfigDir(path, ctx);
    return isFile(path) && (basename(path) === VK_CONFIG_FILE || resolve(path) === givenConfig(ctx));
  },
  load(path: string, ctx: LoadContext): Test[] {
    const configPath = configFor(resolve(path), ctx);
    const baseDir = dirname(configPath);
    const templatesDir = templatesOf(baseDir);
    const fixes = ctx.vkTestSet?.fixes === true;
    const errors: LoadError[] = [];
    const config = readConfig(configPath, ctx, fixes, errors);
    if (config === undefined) throw new LoadErrors(errors);
    const templates = readdirSync(templatesDir)
      .filter((f) => f.endsWith(".yaml") && f !== VK_CONFIG_FILE && join(templatesDir, f) !== configPath)
      .sort();
    const configFile = displayPath(configPath, ctx.rootDir);
    const tests: Test[] = [];
    const at = (path: PathSegment[]): SourceLocation => config.doc.locate(path);
    const base = { configFile, baseDir, values: config.values.namespace };
    config.parsed.required_namespaces.forEach((ns, i) =>
      tests.push(
        existsTest({ ...base, kind: "Namespace", name: ns, location: at(["required_namespaces", i]) }),
      ),
    );
    config.parsed.target_nodes.forEach((node, i) =>
      tests.push(existsTest({ ...base, kind: "Node", name: node, location: at(["target_nodes", i]) })),
    );
    config.parsed.target_nodes.forEach((node, i) => {
      for (const file of templates) {
        const abs = join(templatesDir, file);
        const test = manifestTest(
          { abs, file, node, location: at(["target_nodes", i]) },
          {
            config,
            configFile,
            baseDir,
            fixes,
            rootDir: ctx.rootDir,
            warnings: ctx.warnings,
            errors,
          },
        );
        if (test) tests.push(test);
      }
    });
    if (errors.length > 0) throw new LoadErrors(errors);
    return tests;
  },
};

/**
 * Where the templates are: `templates/` beside the configuration, the upstream repository's
 * `vktestset/templates/` (its configuration is at the repository's root), else the configuration's
 * own directory.
 */
function templatesOf(baseDir: string): string {
  return TEMPLATE_DIRS.map((d) => join(baseDir, d)).find(isDirectory) ?? baseDir;
}

const TEMPLATE_DIRS = ["templates", join("vktestset", "templates")];

function givenConfig(ctx: LoadContext | undefined): string | undefined {
  const given = ctx?.vkTestSet?.config ?? process.env.VKTEST_CONFIG;
  return given === undefined || given === "" ? undefined : resolve(given);
}

/** With `--config` or `$VKTEST_CONFIG`, the directory holding that file, or one with templates/. */
function isGivenConfigDir(path: string, ctx: LoadContext | undefined): boolean {
  const given = givenConfig(ctx);
  return given !== undefined && (dirname(given) === resolve(path) || isDirectory(join(path, "templates")));
}

function configFor(path: string, ctx: LoadContext): string {
  if (!isDirectory(path)) return path;
  const own = join(path, VK_CONFIG_FILE);
  return givenConfig(ctx) ?? own;
}

interface ReadConfig {
  doc: SourceDocument;
  parsed: VkConfig;
  values: Record<string, unknown>;
  multiplier: number;
}

function readConfig(
  path: string,
  ctx: LoadContext,
  fixes: boolean,
  errors: LoadError[],
): ReadConfig | undefined {
  const file = displayPath(path, ctx.rootDir);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    errors.push(
      new LoadError({
        file,
        line: 0,
        col: 0,
        message: `cannot read ${file}`,
        hint: "create it, or name it with --config or $VKTEST_CONFIG",
      }),
    );
    return undefined;
  }
  const parsed = parseYamlDocuments(text, file, { yaml11: true });
  errors.push(...parsed.errors);
  const doc = parsed.documents[0];
  if (parsed.errors.length > 0) return undefined;
  if (!doc) {
    errors.push(
      new LoadError({
        file,
        line: 1,
        col: 1,
        message: "the configuration is empty",
        expected: "a mapping with values (and target_nodes, required_namespaces, timeout_multiplier)",
      }),
    );
    return undefined;
  }
  const schema = vkConfigSchema(fixes);
  const result = schema.safeParse(doc.value);
  if (!result.success) {
    errors.push(...issuesToLoadErrors(result.error.issues, doc, schema));
    return undefined;
  }
  return { doc, parsed: result.data, values: result.data.values, multiplier: result.data.timeout_multiplier };
}

interface ExistsInit {
  configFile: string;
  baseDir: string;
  values: unknown;
  kind: "Namespace" | "Node";
  name: string;
  location: SourceLocation;
}

/** test_namespace_exists / test_node_exists: the object is there now (upstream lists once). */
function existsTest(init: ExistsInit): Test {
  const name = `test_${init.kind === "Node" ? "node" : "namespace"}_exists[${init.name}]`;
  const object = { apiVersion: "v1", kind: init.kind, metadata: { name: init.name } };
  const doc: SourceDocument = { value: object, location: init.location, locate: () => init.location };
  const assert: AssertOperation = {
    ...plainBase(init.location, 1000),
    type: "assert",
    resources: [doc],
    listMatch: "exact",
    mode: "eventually",
  };
  return vkTest({ ...init, name, steps: [step("check", init.location, [assert])] });
}

function vkTest(init: {
  configFile: string;
  baseDir: string;
  values: unknown;
  name: string;
  location: SourceLocation;
  steps: Step[];
}): Test {
  return {
    id: testId(init.configFile, init.name),
    name: init.name,
    location: init.location,
    format: "vk-test-set",
    labels: {},
    ...(typeof init.values === "string" && init.values !== "" ? { namespace: init.values } : {}),
    timeouts: {},
    bindings: [],
    skip: false,
    concurrent: true,
    template: false,
    steps: init.steps,
    catch: [],
    baseDir: init.baseDir,
  };
}

function step(
  name: string,
  location: SourceLocation,
  operations: Operation[],
  cleanup: Operation[] = [],
): Step {
  return { name, location, timeouts: {}, bindings: [], try: operations, catch: [], finally: [], cleanup };
}

interface TemplateRef {
  abs: string;
  file: string;
  node: string;
  location: SourceLocation;
}

interface ManifestContext {
  config: ReadConfig;
  configFile: string;
  baseDir: string;
  fixes: boolean;
  rootDir: string;
  warnings: LoadError[] | undefined;
  errors: LoadError[];
}

/**
 * test_manifest[<node>-<file>]: render with a fresh uuid, split at the validation header, create the
 * manifests (a failure there ends the test without clean-up, as upstream), then the checks, with
 * clean_configs as the second step's conditional clean-up.
 */
function manifestTest(ref: TemplateRef, mc: ManifestContext): Test | undefined {
  const file = displayPath(ref.abs, mc.rootDir);
  const template = readFileSync(ref.abs, "utf8");
  const context = { ...mc.config.values, target_node: ref.node, uuid: randomUUID() };
  let rendered: Rendered;
  try {
    rendered = renderJinja(template, context);
  } catch (error) {
    if (!(error instanceof JinjaError)) throw error;
    const { line, col } = position(template, error.offset);
    mc.errors.push(
      new LoadError({
        file,
        line,
        col,
        message: `template: ${error.message}`,
        ...(error.hint ? { hint: error.hint } : {}),
      }),
    );
    return undefined;
  }
  const parts = split(rendered, template, file);
  const before = mc.errors.length;
  mc.errors.push(...parts.errors);
  const rejected: LoadError[] = [];
  const validation = parseValidation(parts.validation, rejected);
  if (mc.errors.length > before) return undefined;
  const uncreatable = parts.manifests.flatMap((doc) => checkManifest(doc));
  const start: SourceLocation = { file, line: 1, col: 1 };
  const name = `test_manifest[${ref.node}-${ref.file}]`;
  const testOf = (steps: Step[]): Test =>
    vkTest({ ...mc, values: mc.config.values.namespace, name, location: ref.location, steps });
  // With the fixes, bad input is refused before anything runs (exit 2), as in every other format.
  if (mc.fixes && (validation === undefined || uncreatable.length > 0)) {
    mc.errors.push(...rejected, ...uncreatable);
    return undefined;
  }
  if (validation === undefined) {
    // upstream's pydantic model rejects the section when the test runs, before anything is created:
    // that test fails, the others run. The reasons are load warnings at their file:line:col.
    mc.warnings?.push(...rejected);
    const at = parts.validation?.location ?? start;
    return testOf([step("validate", at, [upstreamFailure(at, rejectedMessage(rejected))])]);
  }
  if (uncreatable.length > 0) {
    // Not a Kubernetes object (a rendered template whose apiVersion ended up in a comment):
    // upstream's create_from_yaml fails the test, with no clean-up.
    mc.warnings?.push(...uncreatable);
    const at = uncreatable[0].location;
    const failure = upstreamFailure(
      at,
      `create_from_yaml fails upstream on this template:\n${reasonsOf(uncreatable)}`,
    );
    return testOf([{ ...step("create", at, [failure]), skipDelete: true }]);
  }
  const create: ApplyOperation = {
    ...plainBase(parts.manifests[0]?.location ?? start, 60_000),
    type: "create",
    resources: parts.manifests,
    dryRun: false,
    expect: [],
  };
  const createStep: Step = { ...step("create", start, [create]), skipDelete: true };
  const checks = checkOperations(validation, { ...mc, multiplier: mc.config.multiplier }, file);
  if (checks === undefined) return undefined;
  const validate = step("validate", parts.validation?.location ?? start, checks, cleanups(validation));
  return testOf([createStep, validate]);
}

function rejectedMessage(errors: readonly LoadError[]): string {
  return `upstream vk-test-set fails this template: its validation section does not fit upstream's schema (pydantic ValidationError):\n${reasonsOf(errors)}`;
}

function reasonsOf(errors: readonly LoadError[]): string {
  return sortErrors(errors)
    .map((e) => e.format())
    .join("\n");
}

/** Line and column (1-based) of `offset` in `text`. */
function position(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, col: (before[before.length - 1]?.length ?? 0) + 1 };
}

interface Split {
  manifests: SourceDocument[];
  validation: SourceDocument | undefined;
  errors: LoadError[];
}

/** upstream's split_manifest_and_validation, on the rendered text, with positions in the template. */
function split(rendered: Rendered, template: string, file: string): Split {
  const lines = rendered.text.split("\n");
  const index = lines.findIndex((line) => VALIDATION_HEADER.test(line.toLowerCase()));
  const cut = index < 0 ? lines.length : index;
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  const remap = (loc: SourceLocation): SourceLocation => {
    const out = (lineStarts[loc.line - 1] ?? 0) + loc.col - 1;
    return { file, ...position(template, rendered.sourceOffset(out)) };
  };
  const manifestText = lines.slice(0, cut).join("\n");
  // The validation section keeps its line numbers: the manifest lines before it become empty lines.
  const validationText = index < 0 ? "" : "\n".repeat(cut) + lines.slice(cut).join("\n");
  const manifests = parseYamlDocuments(manifestText, file, { yaml11: true });
  const validation = parseYamlDocuments(validationText, file, { yaml11: true });
  const errors = [...manifests.errors, ...validation.errors].map((e) => movedError(e, remap(e.location)));
  const remapDoc = (doc: SourceDocument): SourceDocument => ({
    value: doc.value,
    location: remap(doc.location),
    locate: (path) => remap(doc.locate(path)),
  });
  const [section] = validation.documents;
  return { manifests: manifests.documents.map(remapDoc), validation: section && remapDoc(section), errors };
}

/** The same error at another position (the template's, for one found in the rendered text). */
function movedError(e: LoadError, at: SourceLocation): LoadError {
  return new LoadError({
    ...at,
    message: e.message,
    ...(e.path === undefined ? {} : { path: e.path }),
    ...(e.expected === undefined ? {} : { expected: e.expected }),
    ...(e.hint === undefined ? {} : { hint: e.hint }),
  });
}

function parseValidation(doc: SourceDocument | undefined, errors: LoadError[]): ParsedValidation | undefined {
  // No section, or one holding only comments: upstream's ValidationProcedure() with its defaults.
  const result = validationSchema.safeParse(doc?.value ?? {});
  if (!result.success) {
    if (doc) errors.push(...issuesToLoadErrors(result.error.issues, doc, validationSchema));
    return undefined;
  }
  return { ...(doc ? { doc } : {}), value: result.data };
}
