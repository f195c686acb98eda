import type { Command } from "commander";
import { resolve } from "node:path";
import { formatLoadWarning, LoadErrors } from "../source/diagnostics.ts";
import { timeoutsFromEnvironment } from "../config/timeouts-env.ts";
import { createReporters, defaultReporterNames, ReporterNameError, type Reporter } from "../report/index.ts";
import { ClusterChoiceError } from "../run/cluster-target.ts";
import { parseShard, SelectionError } from "../run/plan.ts";
import { planTests, runTests, type PlannedRun, type TestSource } from "../run/runner.ts";
import { clusterChoice } from "./cluster-target.ts";
import { commandLine } from "./command-line.ts";
import type { CliContext } from "./context.ts";
import { parseInteger, UsageError } from "./errors.ts";
import { resolveValues, templateVars, testRunLabels } from "./values.ts";
import { errorMessage } from "../source/errors.ts";

interface TestFlags {
  config?: string;
  values: string[];
  set: string[];
  setString: string[];
  templateVar: string[];
  testRunLabels?: string;
  remarshal?: boolean;
  workers?: number;
  grep?: string;
  grepInvert?: string;
  selector?: string;
  list?: boolean;
  failFast?: boolean;
  maxFailures?: number;
  retries: number;
  shard?: string;
  timeoutMultiplier: number;
  vkTestSetFixes?: boolean;
  skipDelete?: boolean;
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  reporter?: string;
  reportDir?: string;
  artifactsDir?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerTestCommand(program: Command, context: CliContext, version: string): void {
  program
    .command("test")
    .description("Run end-to-end tests (Chainsaw-compatible YAML) against a cluster")
    .argument(
      "[paths...]",
      "test files or directories (default: the working directory); path:line runs the test at that line, path::name the test with that id",
    )
    .option(
      "-c, --config <file>",
      "configuration file (default: kubeproof.yaml or .chainsaw.yaml, searched upwards), or a kuttl TestSuite file as kuttl's --config, or a vktest_config.yaml; an empty file (/dev/null) means none",
    )
    .option(
      "--values <files>",
      "YAML values for $values (repeatable, comma-separated; - reads stdin)",
      collect,
      [],
    )
    .option(
      "--set <key=value>",
      "values for $values in Helm's syntax: a.b=1,c[0]=x; 01 stays a string (repeatable)",
      collect,
      [],
    )
    .option("--set-string <key=value>", "like --set, every value a string (repeatable)", collect, [])
    .option(
      "--template-var <name=value>",
      "kuttl: .Vars.name in .gotmpl.yaml step files, the value read as YAML (repeatable, comma-separated)",
      collect,
      [],
    )
    .option(
      "--test-run-labels <key=value,...>",
      "kuttl: the labels of this run, which TestCase and TestFile testRunSelectors match (given twice, the last counts, as in kuttl)",
    )
    .option(
      "--remarshal",
      "accepted for Chainsaw's command lines: files are always read as JSON values, which is what Chainsaw's --remarshal makes them",
    )
    .option(
      "-j, --workers <n>",
      "tests run at once (default: the configuration's parallel, else CPU count)",
      parseInteger("--workers", 1, 256),
    )
    .option("-g, --grep <regex>", "only tests whose id or name matches")
    .option("--grep-invert <regex>", "skip tests whose id or name matches")
    .option("-l, --selector <labels>", "only tests whose labels match, e.g. suite=smoke,tier!=slow")
    .option("--list", "list the tests that would run, and exit")
    .option("-x, --fail-fast", "stop starting tests after the first failure")
    .option("--max-failures <n>", "stop starting tests after n failures", parseInteger("--max-failures", 1))
    .option(
      "--retries <n>",
      "retry failed tests up to n times; passing on a retry is reported flaky",
      parseInteger("--retries", 0, 10),
      0,
    )
    .option("--shard <i/n>", "run the i-th of n shards of the selected tests")
    .option(
      "--timeout-multiplier <f>",
      "scale every timeout (KUBEPROOF_TIMEOUT_ASSERT=3m and the other KUBEPROOF_TIMEOUT_<CLASS> variables set a class)",
      parseMultiplier,
      1,
    )
    .option("--skip-delete", "leave what the tests created in the cluster")
    .option(
      "--vk-test-set-fixes",
      "vk-test-set: fix upstream's bugs instead of reproducing its verdicts (see docs/vk-test-set.md)",
    )
    .option(
      "--kubeconfig <file>",
      "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in a pod its service account)",
    )
    .option("--context <name>", "kubeconfig context to use")
    .option("--cluster <local>", "use the embedded local cluster even when a kubeconfig is configured")
    .option(
      "--reporter <names>",
      "comma-separated: list, line, dot, junit, json, html, github (junit=FILE sets a file; html writes <report-dir>/index.html)",
    )
    .option(
      "--report-dir <dir>",
      "where report files go (default: the configuration's report path, else kubeproof-report)",
    )
    .option("--artifacts-dir <dir>", "where failure diagnostics go (default: <report-dir>/artifacts)")
    .action(async (paths: string[], flags: TestFlags) => {
      context.setExitCode(await runTestCommand(paths, flags, context, version));
    });
}

async function runTestCommand(
  paths: string[],
  flags: TestFlags,
  context: CliContext,
  version: string,
): Promise<number> {
  const envTimeouts = environmentTimeouts();
  let planned;
  try {
    planned = planTests({
      paths,
      rootDir: process.cwd(),
      ...(flags.config === undefined ? {} : { configPath: flags.config }),
      templateVars: templateVars(flags.templateVar),
      ...(flags.testRunLabels === undefined ? {} : { testRunLabels: testRunLabels(flags.testRunLabels) }),
      ...(flags.vkTestSetFixes === true ? { vkTestSetFixes: true } : {}),
      selection: selection(flags),
    });
  } catch (error) {
    if (error instanceof LoadErrors) {
      console.error(error.message);
      console.error(`\n${error.errors.length} problem(s) found; nothing was run. Fix them and run again.`);
      return 2;
    }
    if (error instanceof SelectionError) throw new UsageError(error.message);
    throw error;
  }
  planned = {
    ...planned,
    config: { ...planned.config, timeouts: { ...planned.config.timeouts, ...envTimeouts } },
  };
  const { config, tests } = planned;
  if (flags.list) {
    // A run reports load warnings through its reporters; a listing has none.
    for (const warning of planned.suite.warnings ?? []) console.error(formatLoadWarning(warning));
    for (const test of tests) console.log(`${test.id}  ${test.location.file}:${test.location.line}`);
    console.log(`${tests.length} test(s)`);
    return 0;
  }
  if (tests.length === 0) {
    console.error(
      `no tests found in ${paths.length > 0 ? paths.join(", ") : "."}${flags.grep || flags.selector ? " matching the filters" : ""}`,
    );
    return 2;
  }
  const reportDir = resolve(flags.reportDir ?? config.report.path ?? "kubeproof-report");
  const result = await runTests({
    planned,
    cluster: clusterChoice({ ...flags, signal: context.signal }),
    reporters: [reporters(flags, { config, reportDir, version })],
    retries: flags.retries,
    failFast: flags.failFast === true || config.execution.failFast,
    ...optional({ workers: flags.workers, maxFailures: flags.maxFailures, artifactsDir: flags.artifactsDir }),
    timeoutMultiplier: flags.timeoutMultiplier,
    skipDelete: flags.skipDelete === true,
    values: await resolveValues(config.values, {
      files: flags.values,
      sets: flags.set,
      setStrings: flags.setString,
    }),
    reportDir,
    signal: context.signal,
  }).catch((error: unknown) => {
    if (error instanceof ClusterChoiceError) throw new UsageError(error.message);
    throw error;
  });
  return result.status === "passed" ? 0 : result.status === "interrupted" ? 130 : 1;
}

/** `KUBEPROOF_TIMEOUT_<CLASS>` variables; a bad one is a usage error before anything loads. */
function environmentTimeouts(): ReturnType<typeof timeoutsFromEnvironment> {
  try {
    return timeoutsFromEnvironment(process.env);
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
}

function selection(flags: TestFlags): NonNullable<TestSource["selection"]> {
  return {
    ...(flags.grep ? { grep: regex("--grep", flags.grep) } : {}),
    ...(flags.grepInvert ? { grepInvert: regex("--grep-invert", flags.grepInvert) } : {}),
    ...(flags.selector ? { selector: flags.selector } : {}),
    ...(flags.shard ? { shard: parseShard(flags.shard) } : {}),
  };
}

/** The reporters `--reporter` names (or the defaults), plus the configuration's report formats. */
function reporters(
  flags: TestFlags,
  options: { config: PlannedRun["config"]; reportDir: string; version: string },
): Reporter {
  const names = flags.reporter
    ? flags.reporter
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean)
    : defaultReporterNames({ isTTY: process.stdout.isTTY === true, env: process.env });
  for (const format of options.config.report.formats) {
    if (!names.some((n) => n.split("=")[0] === format)) names.push(format);
  }
  try {
    return createReporters(names, {
      reportDir: options.reportDir,
      version: options.version,
      commandLine: commandLine(process.argv.slice(2)),
    });
  } catch (error) {
    if (error instanceof ReporterNameError) throw new UsageError(error.message);
    throw error;
  }
}

/** The entries whose value is set, so the library's defaults apply to the others. */
function optional<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function regex(flag: string, text: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new UsageError(`${flag}: invalid regular expression: ${errorMessage(error)}`);
  }
}

function parseMultiplier(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--timeout-multiplier expects a positive number, got "${value}"`);
  return n;
}
