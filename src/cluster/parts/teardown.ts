import { rmdir } from "node:fs/promises";
import { stopProcesses } from "../processes.ts";
import { nodeProviders } from "../providers/index.ts";
import type { PartRecord } from "../state.ts";
import type { CleanupContext, NodeProvider } from "./part.ts";
import { errorMessage } from "../../source/errors.ts";

type Cleanups = Readonly<Record<string, Pick<NodeProvider, "cleanup"> | undefined>>;

/**
 * Undoes a cluster from its recorded parts: first every process at once (the state is thrown away, so
 * nothing needs a graceful order), then each part's provider cleanup, dependents before the parts they
 * came after. Every cleanup runs even when one fails; then the failures are thrown together, and the
 * caller keeps cluster.json so that `down` can try again.
 */
export async function teardownParts(
  parts: readonly PartRecord[],
  ctx: CleanupContext,
  providers: Cleanups = nodeProviders,
): Promise<void> {
  await stopProcesses(
    parts.flatMap((part) => part.processes),
    ctx.dir,
  );
  await removeIfEmpty(HOSTPATH_PROVISIONER_DIR);
  const failures: string[] = [];
  for (const wave of dependentsFirst(parts)) {
    await Promise.all(
      wave.map(async (part) => {
        if (part.provider === undefined) return;
        const provider = Object.hasOwn(providers, part.provider) ? providers[part.provider] : undefined;
        if (!provider) {
          failures.push(
            `part ${part.name}: node provider "${part.provider}" is unknown to this kubeproof, so only its processes were stopped`,
          );
          return;
        }
        await provider.cleanup?.(part, ctx).catch((error: unknown) => {
          failures.push(`part ${part.name}: ${errorMessage(error)}`);
        });
      }),
    );
  }
  if (failures.length > 0) throw new Error(`could not undo everything:\n  ${failures.join("\n  ")}`);
}

/**
 * Where the controller-manager's hostPath provisioner (the default StorageClass) puts volumes; the
 * path is fixed in Kubernetes. It deletes each volume with its claim but leaves this folder behind.
 */
export const HOSTPATH_PROVISIONER_DIR = "/tmp/hostpath_pv";

/**
 * Removes `dir` when it is empty. Another local cluster may still hold volumes in it (then it stays),
 * or make it again at its next claim (the provisioner creates missing parents).
 */
export async function removeIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch(() => {});
}

/** Waves of parts: each wave holds the parts that no remaining part came after. */
function dependentsFirst(parts: readonly PartRecord[]): PartRecord[][] {
  const waves: PartRecord[][] = [];
  let remaining = [...parts];
  while (remaining.length > 0) {
    const needed = new Set(remaining.flatMap((part) => part.after));
    let wave = remaining.filter((part) => !needed.has(part.name));
    // A cycle can only come from an edited cluster.json: undo the rest together.
    if (wave.length === 0) wave = remaining;
    waves.push(wave);
    remaining = remaining.filter((part) => !wave.includes(part));
  }
  return waves;
}
