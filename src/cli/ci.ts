import { access, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import {
  cronProblem,
  DEFAULT_CRON,
  DEFAULT_LABEL,
  labelProblem,
  renderWorkflow,
  type WorkflowOptions,
} from "../ci/workflow.ts";
import { errorMessage } from "../source/errors.ts";
import { UsageError } from "./errors.ts";

interface InitFlags {
  label: string;
  cron: string;
  suite: string;
  blocking: boolean;
  output: string;
  force?: boolean;
}

const DEFAULT_OUTPUT = ".github/workflows/e2e.yml";

export function registerCiCommands(program: Command, version: string): void {
  const ci = program.command("ci").description("Continuous integration for the repository kubeproof runs in");
  ci.command("init")
    .description(
      "Write a GitHub Actions workflow that runs the e2e suite on the embedded local cluster: on pull requests\n" +
        "with a label, nightly and by hand; it caches the binary cache, uploads the reports and publishes JUnit.",
    )
    .option("--label <name>", "the pull-request label that opts a pull request in", DEFAULT_LABEL)
    .option("--cron <schedule>", "the nightly schedule (5 cron fields, UTC)", DEFAULT_CRON)
    .option("--suite <path>", "the suite to run, relative to the repository root", "e2e")
    .option(
      "--no-blocking",
      "a failing suite leaves the job green (continue-on-error): it cannot block merges",
    )
    .option("--output <file>", "where to write it, relative to the repository root", DEFAULT_OUTPUT)
    .option("--force", "overwrite an existing file")
    .action(async (flags: InitFlags) => {
      const root = await repositoryRoot(process.cwd());
      const options = await workflowOptions(flags, root, version);
      const target = isAbsolute(flags.output) ? flags.output : join(root, flags.output);
      if (!flags.force && (await exists(target))) {
        throw new UsageError(
          `${relative(process.cwd(), target) || target} exists; pass --force to overwrite it, or --output FILE to write another`,
        );
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, renderWorkflow(options));
      console.error(
        `wrote ${relative(process.cwd(), target)}: label "${options.label}", nightly "${options.cron}", suite ${options.suite}` +
          (options.blocking
            ? `\nTo block merges on it, make the check "e2e" required in the branch protection rules.`
            : ""),
      );
    });
}

async function workflowOptions(flags: InitFlags, root: string, version: string): Promise<WorkflowOptions> {
  const label = labelProblem(flags.label);
  if (label) throw new UsageError(`--label "${flags.label}" ${label}`);
  const cron = cronProblem(flags.cron);
  if (cron) throw new UsageError(`--cron "${flags.cron}" ${cron}, e.g. "${DEFAULT_CRON}" (03:00 UTC daily)`);
  const suite = relative(root, resolve(root, flags.suite)) || ".";
  if (suite.startsWith(".."))
    throw new UsageError(`--suite ${flags.suite} is outside the repository ${root}`);
  if (!(await exists(join(root, suite))))
    throw new UsageError(
      `--suite ${flags.suite}: no such file or directory in ${root}; pass the suite's path`,
    );
  return {
    label: flags.label,
    cron: flags.cron.trim().split(/\s+/).join(" "),
    suite,
    blocking: flags.blocking,
    install: (await dependsOnKubeproof(root)) ? { kind: "npm-project" } : { kind: "global", version },
    nodeVersion: "20",
    goVersion: "1.26",
  };
}

async function repositoryRoot(cwd: string): Promise<string> {
  const { repoRoot } = await import("../gate/git.ts");
  const root = await repoRoot(cwd);
  if (root === undefined)
    throw new UsageError(
      `${cwd} is not in a git repository; run \`kubeproof ci init\` in your repository's checkout`,
    );
  return root;
}

/** Whether the repository's package.json has kubeproof among its dependencies (then `npm ci` installs it). */
async function dependsOnKubeproof(root: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(join(root, "package.json"), "utf8");
  } catch {
    return false;
  }
  try {
    const pkg = JSON.parse(text) as Record<string, Record<string, string> | undefined>;
    return ["dependencies", "devDependencies"].some((field) => pkg[field]?.kubeproof !== undefined);
  } catch (error) {
    throw new UsageError(`${join(root, "package.json")}: not valid JSON (${errorMessage(error)})`);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
