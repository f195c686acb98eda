import type { Command } from "commander";
import { versions } from "../cluster/versions.ts";
import { ClusterProgressReporter } from "../report/cluster-progress.ts";
import type { CliContext } from "./context.ts";

/** A value as one POSIX shell word: single quotes, each `'` as `'\''`. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

export function registerEnvCommand(program: Command, context: CliContext): void {
  program
    .command("env")
    .summary("Print KUBEBUILDER_ASSETS for controller-runtime's envtest (kube-apiserver, etcd, kubectl)")
    .description(
      `Print KUBEBUILDER_ASSETS for controller-runtime's envtest: a directory with kube-apiserver, etcd and kubectl\n` +
        `(Kubernetes v${versions.kubernetes}, etcd v${versions.etcd}) in setup-envtest's layout, installed first when missing.\n` +
        'Use: `eval "$(kubeproof env --shell)"`, or `kubeproof env >> "$GITHUB_ENV"` in a workflow.',
    )
    .option("--shell", "print `export` lines for a POSIX shell to eval")
    .option("--bin-dir <dir>", "use prebuilt binaries from this directory")
    .action(async (flags: { shell?: boolean; binDir?: string }) => {
      const { envtestAssets } = await import("../cluster/envtest.ts");
      const progress = new ClusterProgressReporter();
      const dir = await envtestAssets({
        onEvent: progress.onEvent,
        signal: context.signal,
        ...(flags.binDir !== undefined ? { binDir: flags.binDir } : {}),
      });
      console.log(flags.shell ? `export KUBEBUILDER_ASSETS=${shellQuote(dir)}` : `KUBEBUILDER_ASSETS=${dir}`);
    });
}
