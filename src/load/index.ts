import { readFileSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { defaultConfig, type Config } from "../config/config-schema.ts";
import type { Suite } from "../model/index.ts";
import { parseYamlDocuments } from "../source/yaml.ts";
import { loadConfig, type LoadConfigOptions } from "./config.ts";
import { isKuttlSuiteText, isSuiteFile } from "./kuttl-layout.ts";
import { discover, type DiscoverOptions } from "./discover.ts";
import { VK_CONFIG_FILE } from "./vk-test-set.ts";

export { chainsawLoader, loadChainsawFile, loadChainsawText, DEFAULT_TEST_FILE } from "./chainsaw.ts";
export { CONFIG_FILE_NAMES, findConfigFile, loadConfig, loadConfigFile, loadConfigText } from "./config.ts";
export type { LoadConfigOptions } from "./config.ts";
export { DEFAULT_LOADERS, discover } from "./discover.ts";
export { kuttlLoader } from "./kuttl.ts";
export { vkTestSetLoader } from "./vk-test-set.ts";
export type { DiscoverOptions } from "./discover.ts";
export { errorAt, formatLoadError, formatPath, LoadError, LoadErrors } from "../source/diagnostics.ts";
export { issuesToLoadErrors } from "../source/issues.ts";
export type { LoadErrorInit } from "../source/diagnostics.ts";
export { displayPath } from "./loader.ts";
export type { LoadContext, Loader, ParsedFile } from "./loader.ts";
export { parseYaml, parseYamlDocuments, subDocument } from "../source/yaml.ts";

/**
 * What a run needs before touching a cluster: the configuration (explicit, found, or defaults) and
 * every test under `paths`, discovered with the configuration's discovery and templating settings.
 * `configPath` may also name a kuttl TestSuite file, as kuttl's `--config` does: it then governs every
 * kuttl test case, its `testDirs` are the tests when `paths` is empty, and the configuration is found
 * as without `--config`. An empty file (`--config /dev/null`) means no configuration and no suite
 * file. Paths are relative to `rootDir`, the working directory when none are given. Throws `LoadErrors` (exit code 2) listing
 * every problem in the configuration or the tests.
 */
export function loadProject(
  paths: readonly string[],
  options: LoadConfigOptions &
    Pick<DiscoverOptions, "loaders" | "templateVars" | "testRunLabels" | "vkTestSet"> = {},
): { config: Config; suite: Suite } {
  const rootDir = resolve(options.rootDir ?? process.cwd());
  const configPath = options.configPath === undefined ? undefined : resolve(rootDir, options.configPath);
  const given = configPath === undefined ? undefined : configFileKind(configPath);
  const {
    configPath: _given,
    loaders: _loaders,
    templateVars,
    testRunLabels,
    vkTestSet: vkOptions,
    ...others
  } = options;
  const formatConfig = given === "kuttl" || given === "vktest";
  const config =
    given === "empty"
      ? defaultConfig()
      : loadConfig(formatConfig || configPath === undefined ? others : { ...others, configPath });
  const kuttlConfig = given === "kuttl" ? configPath : given === "empty" ? null : undefined;
  // vk-test-set's `--config`: its vktest_config.yaml, whose directory holds the templates.
  const vkConfig = given === "vktest" ? configPath : undefined;
  const vkTestSet = vkConfig === undefined ? vkOptions : { ...vkOptions, config: vkConfig };
  const { discovery } = config;
  const defaultRoot = kuttlConfig ?? (vkConfig === undefined ? rootDir : dirname(vkConfig));
  const roots = paths.length > 0 ? paths.map((p) => resolve(rootDir, p)) : [defaultRoot];
  const suite = discover(roots, {
    rootDir,
    ...(options.loaders === undefined ? {} : { loaders: options.loaders }),
    ...(kuttlConfig === undefined ? {} : { kuttlConfig }),
    ...(templateVars === undefined ? {} : { templateVars }),
    ...(testRunLabels === undefined ? {} : { testRunLabels }),
    ...(vkTestSet === undefined ? {} : { vkTestSet }),
    testFile: discovery.testFile,
    template: config.templating.enabled,
    ...(discovery.includeTestRegex === undefined ? {} : { includeTestRegex: discovery.includeTestRegex }),
    ...(discovery.excludeTestRegex === undefined ? {} : { excludeTestRegex: discovery.excludeTestRegex }),
  });
  const warnings = [...(config.warnings ?? []), ...(suite.warnings ?? [])];
  return { config, suite: warnings.length > 0 ? { ...suite, warnings } : suite };
}

/**
 * What `--config` names: a kuttl TestSuite file (by name, or by its content as kuttl reads any file),
 * an empty file (no documents: `/dev/null`), or a configuration (also when unreadable: loading it
 * then says why).
 */
function configFileKind(path: string): "kuttl" | "vktest" | "empty" | "config" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return "config";
  }
  if (isSuiteFile(path) || (isKuttlSuiteText(text) && statSync(path).isFile())) return "kuttl";
  if (basename(path) === VK_CONFIG_FILE) return "vktest";
  const parsed = parseYamlDocuments(text, path);
  const head = parsed.documents[0]?.value as Record<string, unknown> | undefined;
  if (head && typeof head === "object" && "values" in head && !("apiVersion" in head)) return "vktest";
  return parsed.errors.length === 0 && parsed.documents.length === 0 ? "empty" : "config";
}
