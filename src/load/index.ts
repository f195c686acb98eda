import type { Config } from "../config/config-schema.ts";
import type { Suite } from "../model/index.ts";
import { loadConfig, type LoadConfigOptions } from "./config.ts";
import { discover, type DiscoverOptions } from "./discover.ts";

export { chainsawLoader, loadChainsawFile, loadChainsawText, DEFAULT_TEST_FILE } from "./chainsaw.ts";
export { CONFIG_FILE_NAMES, findConfigFile, loadConfig, loadConfigFile, loadConfigText } from "./config.ts";
export type { LoadConfigOptions } from "./config.ts";
export { DEFAULT_LOADERS, discover } from "./discover.ts";
export { kuttlLoader } from "./kuttl.ts";
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
 * Throws `LoadErrors` (exit code 2) listing every problem in the configuration or the tests.
 */
export function loadProject(
  paths: readonly string[],
  options: LoadConfigOptions & Pick<DiscoverOptions, "loaders"> = {},
): { config: Config; suite: Suite } {
  const config = loadConfig(options);
  const { discovery } = config;
  const suite = discover(paths, {
    ...(options.rootDir === undefined ? {} : { rootDir: options.rootDir }),
    ...(options.loaders === undefined ? {} : { loaders: options.loaders }),
    testFile: discovery.testFile,
    template: config.templating.enabled,
    ...(discovery.includeTestRegex === undefined ? {} : { includeTestRegex: discovery.includeTestRegex }),
    ...(discovery.excludeTestRegex === undefined ? {} : { excludeTestRegex: discovery.excludeTestRegex }),
  });
  const warnings = [...(config.warnings ?? []), ...(suite.warnings ?? [])];
  return { config, suite: warnings.length > 0 ? { ...suite, warnings } : suite };
}
