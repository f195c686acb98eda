import type { Command } from "commander";
import { Resources } from "../kube/resources.ts";
import { cleanRuns } from "../run/clean.ts";
import { resolveCluster } from "./cluster-target.ts";
import type { CliContext } from "./context.ts";

export function registerCleanCommand(program: Command, context: CliContext): void {
  program
    .command("clean")
    .description(
      "Delete what killed test runs left in the cluster (objects labelled kubeproof.dev/run, and what labelled helm release records list)",
    )
    .option("--run <id>", "only this run's objects (the run id is in the JSON report and on every object)")
    .option("--dry-run", "list what would be deleted")
    .option(
      "--kubeconfig <file>",
      "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config, in a pod its service account)",
    )
    .option("--context <name>", "kubeconfig context to use")
    .option("--cluster <local>", "the embedded local cluster")
    .action(
      async (flags: {
        run?: string;
        dryRun?: boolean;
        kubeconfig?: string;
        context?: string;
        cluster?: string;
      }) => {
        const cluster = await resolveCluster({ ...flags, signal: context.signal });
        try {
          const result = await cleanRuns(new Resources(cluster.client), {
            runId: flags.run,
            dryRun: flags.dryRun,
          });
          for (const line of result.deleted)
            console.log(`${flags.dryRun ? "would delete" : "deleted"} ${line}`);
          for (const line of result.failed) console.error(`failed: ${line}`);
          console.error(
            `${result.deleted.length} object(s) ${flags.dryRun ? "to delete" : "deleted"}${result.failed.length ? `, ${result.failed.length} failed` : ""}`,
          );
          if (result.failed.length > 0) context.setExitCode(1);
        } finally {
          cluster.client.close();
        }
      },
    );
}
