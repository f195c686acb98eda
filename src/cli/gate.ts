import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { KubeClient } from "../kube/client.ts";
import { Resources } from "../kube/resources.ts";
import { LoadErrors } from "../source/diagnostics.ts";
import { errorMessage } from "../source/errors.ts";
import type { CliContext } from "./context.ts";
import { parseInteger, UsageError } from "./errors.ts";
import { commandLine } from "./command-line.ts";

interface GateFlags {
  config?: string;
  base?: string;
  jobs?: number;
  tier?: string[];
  feedback?: string;
  feedbackMd?: string;
  maxBytes?: number;
  kubeconfig?: string;
  context?: string;
  reporter?: string;
  reportDir?: string;
}

/** The gate's file reporters; its terminal output is always printed. */
const GATE_REPORTERS = ["html"];

function gateReporters(flags: GateFlags): string[] {
  const names = (flags.reporter ?? "")
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!GATE_REPORTERS.includes(name)) {
      throw new UsageError(
        `--reporter ${name}: the gate writes ${GATE_REPORTERS.join(", ")} (its feedback files are --feedback and --feedback-md)`,
      );
    }
  }
  if (flags.reportDir !== undefined && names.length === 0) {
    throw new UsageError("--report-dir is where --reporter html writes; add --reporter html");
  }
  return names;
}

export function registerGateCommand(program: Command, context: CliContext): void {
  program
    .command("gate")
    .description(
      "Run the gate: the tiers of kubeproof.yaml's gate section in order (local checks, then " +
        "clean-room Kubernetes Jobs on the exact commit), stopping after the first tier that does not pass. " +
        "Local checks get KUBEBUILDER_ASSETS (`kubeproof env`) unless they set it.",
    )
    .option("--config <file>", "configuration file (default: kubeproof.yaml here or in a parent directory)")
    .option("--base <ref>", "skip checks whose paths did not change against this git revision")
    .option(
      "--jobs <n>",
      "local checks run at once (default: number of CPUs)",
      parseInteger("--jobs", 1, 1024),
    )
    .option(
      "--tier <name>",
      "run only this tier (repeatable)",
      (value: string, all: string[] | undefined) => [...(all ?? []), value],
    )
    .option("--feedback <file>", "write the feedback as JSON (schema: docs/feedback-schema.json)")
    .option("--feedback-md <file>", "write the feedback as Markdown")
    .option(
      "--max-bytes <n>",
      "size cap of each feedback file (default 16384)",
      parseInteger("--max-bytes", 1024),
    )
    .option(
      "--kubeconfig <file>",
      "kubeconfig for cluster tiers (default: $KUBECONFIG, ~/.kube/config, in a pod its service account)",
    )
    .option("--context <name>", "kubeconfig context for cluster tiers")
    .option("--reporter <names>", "html: also write the result as a page, <report-dir>/index.html")
    .option("--report-dir <dir>", "where --reporter html writes (default: kubeproof-report/gate)")
    .addHelpText(
      "after",
      "\nExit codes: 0 PASS, 1 FAIL, 2 usage or configuration error, 3 TIMEOUT, 4 ERROR, 130 interrupted.",
    )
    .action(async (flags: GateFlags) => {
      const reporters = gateReporters(flags);
      // The gate's modules (tiers, Job runner, feedback parsers) load when the gate runs, not when the
      // CLI starts: `kubeproof test` never needs them.
      const [
        { loadGateConfig },
        { renderMarkdown, serializeFeedback },
        { GateUsageError, runGate },
        { repoRoot },
        { GateProgressReporter, printGateResult },
      ] = await Promise.all([
        import("./gate-config.ts"),
        import("../gate/feedback/index.ts"),
        import("../gate/gate.ts"),
        import("../gate/git.ts"),
        import("../report/gate.ts"),
      ]);
      let loaded;
      try {
        loaded = loadGateConfig({
          cwd: process.cwd(),
          ...(flags.config !== undefined ? { configPath: flags.config } : {}),
        });
      } catch (error) {
        if (error instanceof LoadErrors) throw new UsageError(error.message);
        throw error;
      }
      const configDir = dirname(loaded.file);
      const gitRoot = await repoRoot(configDir);
      const progress = new GateProgressReporter(process.stderr);
      let client: KubeClient | undefined;
      const cluster = async (): Promise<Resources> => {
        client ??= await KubeClient.fromKubeconfig({
          ...(flags.kubeconfig !== undefined ? { path: flags.kubeconfig } : {}),
          ...(flags.context !== undefined ? { context: flags.context } : {}),
        });
        return new Resources(client);
      };
      let result;
      try {
        result = await runGate({
          config: loaded.gate,
          root: gitRoot ?? configDir,
          isGitRepo: gitRoot !== undefined,
          only: flags.tier ?? [],
          signal: context.signal,
          onEvent: progress.onEvent,
          cluster,
          envtestAssets: gateEnvtestAssets(context.signal),
          ...(flags.base !== undefined ? { base: flags.base } : {}),
          ...(flags.jobs !== undefined ? { jobs: flags.jobs } : {}),
          ...(flags.maxBytes !== undefined ? { maxBytes: flags.maxBytes } : {}),
        });
      } catch (error) {
        if (error instanceof GateUsageError) throw new UsageError(error.message);
        throw error;
      } finally {
        client?.close();
      }
      const files: string[] = [];
      const maxBytes = flags.maxBytes !== undefined ? { maxBytes: flags.maxBytes } : {};
      if (flags.feedback !== undefined) {
        await writeText(flags.feedback, serializeFeedback(result.feedback));
        files.push(flags.feedback);
      }
      if (flags.feedbackMd !== undefined) {
        await writeText(flags.feedbackMd, renderMarkdown(result.feedback, maxBytes));
        files.push(flags.feedbackMd);
      }
      if (reporters.includes("html")) {
        const { writeGateReport } = await import("../report/html/gate.ts");
        files.push(
          await writeGateReport(result.feedback, resolve(flags.reportDir ?? "kubeproof-report/gate"), {
            generatedAt: new Date().toISOString(),
            commandLine: commandLine(process.argv.slice(2)),
          }),
        );
      }
      printGateResult(result.feedback, { files });
      context.setExitCode(result.exitCode);
    });
}

/**
 * KUBEBUILDER_ASSETS for the local checks, prepared once on first use (a cold cache installs the
 * pinned etcd and kube-apiserver first, with progress). When that fails the checks run without it and
 * the reason is printed: a check that needs envtest then says so itself.
 */
function gateEnvtestAssets(signal: AbortSignal): () => Promise<string | undefined> {
  let prepared: Promise<string | undefined> | undefined;
  return () =>
    (prepared ??= (async () => {
      const [{ envtestAssets }, { ClusterProgressReporter }] = await Promise.all([
        import("../cluster/envtest.ts"),
        import("../report/cluster-progress.ts"),
      ]);
      try {
        return await envtestAssets({ onEvent: new ClusterProgressReporter().onEvent, signal });
      } catch (error) {
        signal.throwIfAborted();
        console.error(`kubeproof gate: no envtest assets for KUBEBUILDER_ASSETS: ${errorMessage(error)}`);
        return undefined;
      }
    })());
}

async function writeText(path: string, text: string): Promise<void> {
  const abs = resolve(path);
  await mkdir(dirname(abs), { recursive: true });
  await writeFile(abs, text);
}
