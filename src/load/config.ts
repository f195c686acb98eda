import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { PathSegment, SourceDocument } from "../model/index.ts";
import type * as z from "zod";
import {
  CHAINSAW_CONFIG_V1ALPHA2,
  CONFIG_API_VERSIONS,
  configSchemas,
  defaultConfig,
  isConfigApiVersion,
  type ChainsawReportFormat,
  type Config,
  type ConfigApiVersion,
  type ParsedChainsawV1alpha1Config,
  type ParsedChainsawV1alpha2Config,
  type ParsedKubeproofConfig,
  type ReportFormat,
} from "../config/config-schema.ts";
import type { ParsedOperation } from "../config/operation-schema.ts";
import { CHAINSAW_API_VERSION, KUBEPROOF_API_VERSION, type ParsedTimeouts } from "../config/test-schema.ts";
import { convertOperations, defined, type OperationContext } from "./chainsaw-ops.ts";
import { clusterDefinitions } from "../ops/convert-parts.ts";
import { configSetup } from "./config-setup.ts";
import { errorAt, LoadError, LoadErrors, sortErrors, toLoadWarnings } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { isFile, readSourceText } from "./files.ts";
import { displayPath, type LoadContext, type ParsedFile } from "./loader.ts";
import { parseYamlDocuments, subDocument } from "../source/yaml.ts";

/** Looked for in this order: ours first, then Chainsaw's so an existing project works unchanged. */
export const CONFIG_FILE_NAMES = [
  "kubeproof.yaml",
  "kubeproof.yml",
  ".chainsaw.yaml",
  ".chainsaw.yml",
] as const;

export interface LoadConfigOptions {
  /** An explicit configuration file (`--config`); it must exist. */
  configPath?: string;
  /** Where to start looking when no path is given (default: the working directory). */
  startDir?: string;
  /** Paths in messages are relative to this directory (default: the working directory). */
  rootDir?: string;
}

/**
 * The configuration file in `startDir` or, failing that, in its parents up to the repository root
 * (the first directory holding `.git`), so a run from a sub-directory finds the project's file.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, ".git")) || parent === dir) return undefined;
    dir = parent;
  }
}

/** The explicit file, else the one found from `startDir`, else the built-in defaults. */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const rootDir = resolve(options.rootDir ?? process.cwd());
  if (options.configPath !== undefined) return loadConfigFile(options.configPath, rootDir);
  const found = findConfigFile(options.startDir ?? rootDir);
  return found === undefined ? defaultConfig() : loadConfigFile(found, rootDir);
}

export function loadConfigFile(path: string, rootDir: string = process.cwd()): Config {
  const abs = resolve(path);
  return loadConfigText(readSourceText(abs, rootDir, "configuration"), abs, rootDir);
}

/** Validates and normalises one configuration document; throws `LoadErrors` with positions. */
export function loadConfigText(text: string, absPath: string, rootDir: string): Config {
  const file = displayPath(absPath, rootDir);
  const parsed = parseYamlDocuments(text, file);
  if (parsed.errors.length > 0) throw new LoadErrors(parsed.errors);
  const [doc, extra] = parsed.documents;
  if (doc === undefined) {
    throw new LoadErrors([
      new LoadError({
        file,
        line: 1,
        col: 1,
        message: "found no configuration",
        expected: "kind: Configuration",
      }),
    ]);
  }
  if (extra !== undefined) {
    throw new LoadErrors([
      new LoadError({ ...extra.location, message: "a configuration file holds exactly one document" }),
    ]);
  }
  // A file holding only `gate:` configures the gate alone (src/load/gate-section.ts reads it): the
  // repository's own `kubeproof test` runs, a gate check's included, take the defaults.
  if (isGateOnly(doc.value)) return { ...defaultConfig(), file };
  const errors: LoadError[] = [];
  const config = convertConfig(doc, absPath, rootDir, errors);
  if (config === undefined || errors.length > 0) throw new LoadErrors(sortErrors(errors));
  if (parsed.warnings.length > 0) config.warnings = toLoadWarnings(parsed.warnings);
  return config;
}

function isGateOnly(value: unknown): boolean {
  return value !== null && typeof value === "object" && Object.keys(value).join() === "gate";
}

function convertConfig(
  doc: SourceDocument,
  absPath: string,
  rootDir: string,
  errors: LoadError[],
): Config | undefined {
  const apiVersion = checkHeader(doc, errors);
  if (apiVersion === undefined) return undefined;
  const config: Config = { ...defaultConfig(), file: displayPath(absPath, rootDir), apiVersion };
  const catchOf = (ops: readonly ParsedOperation[] | undefined, path: PathSegment[]) => {
    const load: LoadContext = { rootDir, cache: new Map<string, ParsedFile>() };
    const oc: OperationContext = {
      doc,
      baseDir: dirname(absPath),
      load,
      template: config.templating.enabled,
      errors,
    };
    return convertOperations(ops, path, oc);
  };
  switch (apiVersion) {
    case KUBEPROOF_API_VERSION: {
      const data = validate(configSchemas[KUBEPROOF_API_VERSION], doc, errors);
      if (data === undefined) return undefined;
      fromKubeproof(config, data, doc, catchOf);
      withClusters(config, data.spec, rootDir);
      const setup = data.spec?.setup;
      if (setup !== undefined) config.setup = configSetup(setup, doc, { config, absPath, rootDir, errors });
      break;
    }
    case CHAINSAW_CONFIG_V1ALPHA2: {
      const data = validate(configSchemas[CHAINSAW_CONFIG_V1ALPHA2], doc, errors);
      if (data === undefined) return undefined;
      fromChainsawV1alpha2(config, data, doc, catchOf);
      withClusters(config, data.spec, rootDir);
      break;
    }
    case CHAINSAW_API_VERSION: {
      const data = validate(configSchemas[CHAINSAW_API_VERSION], doc, errors);
      if (data === undefined) return undefined;
      fromChainsawV1alpha1(config, data, doc, catchOf);
      withClusters(config, data.spec, rootDir);
      break;
    }
  }
  return config;
}

/** Chainsaw's `clusters`: kubeconfig paths resolve from the working directory, as Chainsaw's flags do. */
function withClusters(
  config: Config,
  spec: { clusters?: Parameters<typeof clusterDefinitions>[0] } | undefined,
  rootDir: string,
): void {
  const clusters = clusterDefinitions(spec?.clusters, rootDir);
  if (clusters !== undefined) config.clusters = clusters;
}

function validate<S extends z.ZodType>(
  schema: S,
  doc: SourceDocument,
  errors: LoadError[],
): z.output<S> | undefined {
  const result = schema.safeParse(doc.value);
  if (result.success) return result.data;
  errors.push(...issuesToLoadErrors(result.error.issues, doc, schema));
  return undefined;
}

type CatchOf = (ops: readonly ParsedOperation[] | undefined, path: PathSegment[]) => Config["catch"];

function fromKubeproof(
  config: Config,
  data: ParsedKubeproofConfig,
  doc: SourceDocument,
  catchOf: CatchOf,
): void {
  const spec = data.spec ?? {};
  applyGrouped(config, spec, doc);
  const report = spec.report;
  if (report !== undefined) {
    const formats: ReportFormat[] =
      report.format === undefined
        ? []
        : Array.isArray(report.format)
          ? [...new Set(report.format)]
          : [report.format];
    config.report = {
      ...config.report,
      formats,
      ...defined({ path: report.path, name: report.name, junitLevel: report.junitLevel }),
    };
  }
  if (spec.values !== undefined) config.values = spec.values;
  if (spec.gate !== undefined) config.gate = spec.gate;
  if (spec.cluster?.realNodes !== undefined) config.cluster = { realNodes: spec.cluster.realNodes };
  config.catch = catchOf(spec.error?.catch, ["spec", "error", "catch"]);
}

function fromChainsawV1alpha2(
  config: Config,
  data: ParsedChainsawV1alpha2Config,
  doc: SourceDocument,
  catchOf: CatchOf,
): void {
  const spec = data.spec ?? {};
  applyGrouped(config, spec, doc);
  config.report = chainsawReport(spec.report?.format, spec.report?.path, spec.report?.name);
  config.catch = catchOf(spec.error?.catch, ["spec", "error", "catch"]);
}

/** The parts kubeproof shares with Chainsaw's grouped `v1alpha2` layout. */
function applyGrouped(
  config: Config,
  spec: NonNullable<ParsedKubeproofConfig["spec"]> | NonNullable<ParsedChainsawV1alpha2Config["spec"]>,
  doc: SourceDocument,
): void {
  config.timeouts = mergeTimeouts(config.timeouts, spec.timeouts);
  const exec = spec.execution;
  config.execution = {
    ...config.execution,
    ...defined({
      failFast: exec?.failFast,
      parallel: exec?.parallel,
      repeatCount: exec?.repeatCount,
      forceTerminationGracePeriodMs: exec?.forceTerminationGracePeriod,
    }),
  };
  config.cleanup = {
    ...config.cleanup,
    ...defined({
      skipDelete: spec.cleanup?.skipDelete,
      delayBeforeCleanupMs: spec.cleanup?.delayBeforeCleanup,
    }),
  };
  if (spec.deletion?.propagation !== undefined) config.deletion = { propagation: spec.deletion.propagation };
  config.discovery = { ...config.discovery, ...defined({ ...spec.discovery }) };
  config.templating = {
    ...config.templating,
    ...defined({ enabled: spec.templating?.enabled, compiler: spec.templating?.compiler }),
  };
  config.namespace = {
    ...defined({ name: spec.namespace?.name }),
    ...(spec.namespace?.template === undefined
      ? {}
      : { template: subDocument(doc, ["spec", "namespace", "template"]) }),
  };
}

function fromChainsawV1alpha1(
  config: Config,
  data: ParsedChainsawV1alpha1Config,
  doc: SourceDocument,
  catchOf: CatchOf,
): void {
  const spec = data.spec ?? {};
  config.timeouts = mergeTimeouts(config.timeouts, spec.timeouts);
  config.execution = {
    ...config.execution,
    ...defined({
      failFast: spec.failFast,
      parallel: spec.parallel,
      repeatCount: spec.repeatCount,
      forceTerminationGracePeriodMs: spec.forceTerminationGracePeriod,
    }),
  };
  config.cleanup = {
    ...config.cleanup,
    ...defined({ skipDelete: spec.skipDelete, delayBeforeCleanupMs: spec.delayBeforeCleanup }),
  };
  if (spec.deletionPropagationPolicy !== undefined)
    config.deletion = { propagation: spec.deletionPropagationPolicy };
  config.discovery = {
    ...config.discovery,
    ...defined({
      testFile: spec.testFile,
      includeTestRegex: spec.includeTestRegex,
      excludeTestRegex: spec.excludeTestRegex,
      fullName: spec.fullName,
    }),
  };
  config.templating = {
    ...config.templating,
    ...defined({ enabled: spec.template, compiler: spec.compiler }),
  };
  config.namespace = {
    ...defined({ name: spec.namespace }),
    ...(spec.namespaceTemplate === undefined
      ? {}
      : { template: subDocument(doc, ["spec", "namespaceTemplate"]) }),
  };
  config.report = chainsawReport(spec.reportFormat, spec.reportPath, spec.reportName);
  config.catch = catchOf(spec.catch, ["spec", "catch"]);
}

function chainsawReport(
  format: ChainsawReportFormat | undefined,
  path: string | undefined,
  name: string | undefined,
): Config["report"] {
  const junitLevel = format === "JUNIT-STEP" ? "step" : format === "JUNIT-OPERATION" ? "operation" : "test";
  const formats: ReportFormat[] = format === undefined ? [] : format === "JSON" ? ["json"] : ["junit"];
  return { formats, name: name ?? "chainsaw-report", junitLevel, ...defined({ path }) };
}

function mergeTimeouts(base: Config["timeouts"], t: ParsedTimeouts | undefined): Config["timeouts"] {
  return { ...base, ...defined({ ...t }) };
}

function checkHeader(doc: SourceDocument, errors: LoadError[]): ConfigApiVersion | undefined {
  const value = doc.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    errors.push(
      new LoadError({
        ...doc.location,
        message: "a configuration must be a mapping",
        expected: "kind: Configuration",
      }),
    );
    return undefined;
  }
  const { apiVersion, kind } = value as Record<string, unknown>;
  if (kind !== "Configuration") {
    errors.push(
      errorAt(doc, kind === undefined ? [] : ["kind"], {
        message:
          kind === undefined ? 'missing required field "kind"' : `unexpected kind ${JSON.stringify(kind)}`,
        expected: "kind: Configuration",
        path: [],
      }),
    );
    return undefined;
  }
  if (!isConfigApiVersion(apiVersion)) {
    errors.push(
      errorAt(doc, apiVersion === undefined ? [] : ["apiVersion"], {
        message:
          apiVersion === undefined
            ? 'missing required field "apiVersion"'
            : `unsupported apiVersion ${JSON.stringify(apiVersion)}`,
        expected: `one of ${CONFIG_API_VERSIONS.join(", ")}`,
        path: [],
      }),
    );
    return undefined;
  }
  return apiVersion;
}
