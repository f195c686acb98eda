import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import type { ManagedProcess } from "../cluster/processes.ts";
import type { ClusterStatus } from "../cluster/state.ts";
import { versions } from "../cluster/versions.ts";
import { ClusterProgressReporter } from "../report/cluster-progress.ts";
import type { CliContext } from "./context.ts";
import { parseInteger, UsageError } from "./errors.ts";
import { errorMessage } from "../source/errors.ts";

interface InstallFlags {
  binDir?: string;
  download: boolean;
}

const realNodesHelp =
  "real nodes, 0-4 (kubelet, containerd, runc, CNI, kube-proxy, CoreDNS, a registry mirror of loaded images; root on Linux): kwok nodes are then tainted";

export function registerClusterCommands(program: Command, context: CliContext): void {
  const cluster = program
    .command("cluster")
    .description(
      "The embedded local cluster: real etcd, kube-apiserver, controller-manager, scheduler, kwok nodes",
    );
  registerInstall(cluster, context);
  registerUp(cluster, context);
  registerDown(cluster);
  registerStatus(cluster, context);
  registerList(cluster);
  registerLoad(cluster);
}

function registerLoad(cluster: Command): void {
  cluster
    .command("load")
    .description(
      "Import image archives (`docker save` output, OCI layout tars) into the cluster's real nodes, as `kind load image-archive` does",
    )
    .argument("[archive...]", "image archive files")
    .option("--name <name>", "cluster name", "kubeproof")
    .option(
      "--git-image",
      "also build kubeproof.local/git:1 (busybox and this machine's git: an image for the gate's Job tier) and load it",
    )
    .action(async (archives: string[], flags: { name: string; gitImage?: boolean }) => {
      if (archives.length === 0 && flags.gitImage !== true)
        throw new UsageError("cluster load: name at least one image archive, or pass --git-image");
      const { loadImages, ClusterStartError } = await localCluster();
      const built = flags.gitImage === true ? await buildGitImage() : undefined;
      try {
        const all = [...archives, ...(built ? [built.archive] : [])];
        const nodes = await loadImages(flags.name, all);
        const what = [
          ...(archives.length > 0 ? [`${archives.length} archive(s)`] : []),
          ...(built ? [built.ref] : []),
        ];
        console.error(`loaded ${what.join(" and ")} into ${nodes.join(", ")}`);
      } catch (error) {
        if (error instanceof ClusterStartError) throw new UsageError(error.message);
        throw error;
      } finally {
        if (built) await rm(built.dir, { recursive: true, force: true });
      }
    });
}

/** The git image as an archive in a temporary directory (removed by the caller). */
async function buildGitImage(): Promise<{ archive: string; dir: string; ref: string }> {
  const { gitImage, writeGitImage } = await import("../cluster/providers/real/git-image.ts");
  const dir = await mkdtemp(join(tmpdir(), "kubeproof-git-image-"));
  const archive = join(dir, "git-image.tar");
  try {
    await writeGitImage(archive);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new UsageError(
      `--git-image is built from this machine's git, its http transport and ldd: ${errorMessage(error)}; install git (apt-get install git)`,
    );
  }
  return { archive, dir, ref: gitImage };
}

// The cluster modules (PKI, installer, process supervision) load when a cluster command runs, not when
// the CLI starts: `kubeproof test` against a kubeconfig never needs them.
const localCluster = () => import("../cluster/local-cluster.ts");
const clusterState = () => import("../cluster/state.ts");

function registerInstall(cluster: Command, context: CliContext): void {
  cluster
    .command("install")
    .description(
      `Put the pinned binaries (Kubernetes v${versions.kubernetes}, etcd v${versions.etcd}, kwok v${versions.kwok}, helm v${versions.helm}) in the cache.\n` +
        "Sources in order: --bin-dir / $KUBEPROOF_BIN_DIR, the cache, the official release downloads, a build from Go modules.",
    )
    .option("--bin-dir <dir>", "use prebuilt binaries from this directory")
    .option("--no-download", "skip the official release downloads")
    .option(
      "--real-nodes",
      "also what real nodes need: kubelet, kube-proxy, containerd, CNI plugins, CoreDNS, agnhost, pause, and runc, iptables, busybox-static from the system's packages",
    )
    .option("--json", "print the binary paths as JSON")
    .action(async (flags: InstallFlags & { json?: boolean; realNodes?: boolean }) => {
      const progress = new ClusterProgressReporter();
      const [{ installBinaries }, { allComponents, baseComponents, toolComponents }] = await Promise.all([
        import("../cluster/install/index.ts"),
        import("../cluster/versions.ts"),
      ]);
      const paths = await installBinaries({
        components: flags.realNodes ? allComponents : [...baseComponents, ...toolComponents],
        binDir: flags.binDir,
        download: flags.download ? undefined : false,
        onEvent: progress.onEvent,
        signal: context.signal,
      });
      if (flags.json) console.log(JSON.stringify(paths, null, 2));
      else for (const [binary, path] of Object.entries(paths)) console.log(`${binary.padEnd(24)} ${path}`);
    });
}

function registerUp(cluster: Command, context: CliContext): void {
  cluster
    .command("up")
    .description("Start a local cluster and print its kubeconfig path")
    .option("--name <name>", "cluster name", "kubeproof")
    .option("--nodes <n>", "number of simulated nodes", parseInteger("--nodes", 1, 100), 1)
    .option("--real-nodes <n>", realNodesHelp, parseInteger("--real-nodes", 0, 4), 0)
    .option(
      "--gpus-per-node <n>",
      "nvidia.com/gpu capacity of each node, kwok and real (a fake device plugin, or NVIDIA's where the host has a GPU)",
      parseInteger("--gpus-per-node", 0, 64),
      0,
    )
    .option("--reuse", "succeed with the running cluster of this name instead of failing")
    .option("--json", "print {name, kubeconfig, server, timings} as JSON")
    .option("--bin-dir <dir>", "use prebuilt binaries from this directory")
    .option("--no-download", "skip the official release downloads")
    .action(
      async (
        flags: InstallFlags & {
          name: string;
          nodes: number;
          realNodes: number;
          gpusPerNode: number;
          reuse?: boolean;
          json?: boolean;
        },
      ) => {
        const progress = new ClusterProgressReporter(process.stderr, false);
        const { startLocalCluster, ClusterStartError, RealNodeUnavailable } = await localCluster();
        try {
          const handle = await startLocalCluster({
            name: flags.name,
            nodes: { kwok: flags.nodes, real: flags.realNodes },
            gpusPerNode: flags.gpusPerNode,
            reuse: flags.reuse,
            install: { binDir: flags.binDir, download: flags.download ? undefined : false },
            onEvent: progress.onEvent,
            signal: context.signal,
          });
          if (flags.json) {
            const { name, kubeconfig, server, timings } = handle;
            console.log(JSON.stringify({ name, kubeconfig, server, timings }));
          } else {
            console.error(
              `cluster "${handle.name}" is ready at ${handle.server}; use it with:\n  export KUBECONFIG=${handle.kubeconfig}`,
            );
            console.log(handle.kubeconfig);
          }
        } catch (error) {
          if (error instanceof RealNodeUnavailable) throw new UsageError(error.message);
          if (error instanceof ClusterStartError && /invalid cluster name|must be/.test(error.message))
            throw new UsageError(error.message);
          throw error;
        }
      },
    );
}

function registerDown(cluster: Command): void {
  cluster
    .command("down")
    .description("Stop a local cluster's processes and remove its state")
    .option("--name <name>", "cluster name", "kubeproof")
    .option("--all", "stop every local cluster, including the remains of crashed runs")
    .action(async (flags: { name: string; all?: boolean }) => {
      const [{ stopLocalCluster }, { listClusterNames }] = await Promise.all([
        localCluster(),
        clusterState(),
      ]);
      const names = flags.all ? await listClusterNames() : [flags.name];
      for (const name of names) {
        const existed = await stopLocalCluster(name);
        console.error(existed ? `cluster "${name}" stopped and removed` : `no cluster named "${name}"`);
      }
    });
}

function registerStatus(cluster: Command, context: CliContext): void {
  cluster
    .command("status")
    .description("Show one local cluster's processes and health (exit 1 unless running)")
    .option("--name <name>", "cluster name", "kubeproof")
    .option("--json", "print as JSON")
    .action(async (flags: { name: string; json?: boolean }) => {
      const { readState, clusterStatus, clusterProcesses } = await clusterState();
      const state = await readState(flags.name);
      if (!state) {
        if (flags.json) console.log(JSON.stringify({ name: flags.name, health: "absent" }));
        else
          console.error(
            `no cluster named "${flags.name}" (start one with \`kubeproof cluster up --name ${flags.name}\`)`,
          );
        context.setExitCode(1);
        return;
      }
      const status = await clusterStatus(state);
      if (flags.json)
        console.log(JSON.stringify(statusJson(status, clusterProcesses(status.state)), null, 2));
      else {
        console.log(
          `${state.name}: ${status.health}  ${state.server}  nodes=${state.nodes}  kubeconfig=${state.kubeconfig}`,
        );
        for (const process of clusterProcesses(state)) {
          const up = !status.down.includes(process.name);
          console.log(
            `  ${process.name.padEnd(24)} pid ${String(process.pid).padEnd(8)} ${up ? "running" : "not running"}  ${process.logFile}`,
          );
        }
      }
      if (status.health !== "running") context.setExitCode(1);
    });
}

function registerList(cluster: Command): void {
  cluster
    .command("list")
    .description("List local clusters, including the remains of crashed runs")
    .option("--json", "print as JSON")
    .action(async (flags: { json?: boolean }) => {
      const { listLocalClusters } = await import("../cluster/list.ts");
      const rows = (await listLocalClusters()).map((entry) =>
        "state" in entry
          ? {
              name: entry.state.name,
              health: entry.health,
              server: entry.state.server,
              kubeconfig: entry.state.kubeconfig,
            }
          : { name: entry.name, health: entry.health },
      );
      if (flags.json) console.log(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) console.error("no local clusters");
      else
        for (const row of rows)
          console.log(`${row.name.padEnd(20)} ${row.health.padEnd(10)} ${"server" in row ? row.server : ""}`);
    });
}

function statusJson(status: ClusterStatus, processes: ManagedProcess[]): Record<string, unknown> {
  const { state } = status;
  return {
    name: state.name,
    health: status.health,
    server: state.server,
    kubeconfig: state.kubeconfig,
    nodes: state.nodes,
    gpusPerNode: state.gpusPerNode,
    parts: state.parts.map(({ name, provider, nodes }) => ({ name, provider, nodes })),
    processes: processes.map((p) => ({ ...p, running: !status.down.includes(p.name) })),
    versions: state.versions,
    timings: state.timings,
  };
}
