import { dirname } from "node:path";
import type { ClusterEvent } from "../model/cluster-events.ts";
import type { Operation, Step, Test } from "../model/index.ts";

/**
 * The directories of the pinned tools (helm) a run's scripts, commands and helm operations find first
 * on PATH. helm is installed (cache, download, else a build) when a test has a helm operation, and put
 * on PATH whenever the cache has it, so a script's `helm` is the pinned one too.
 */
export async function runToolPath(
  tests: readonly Test[],
  options: { onEvent?: (event: ClusterEvent) => void; signal?: AbortSignal; env?: NodeJS.ProcessEnv },
): Promise<string[]> {
  const { findBinaries, installBinaries } = await import("../cluster/install/index.ts");
  const wanted = { components: ["helm"] as const, ...(options.env ? { env: options.env } : {}) };
  const paths = tests.some(usesHelm)
    ? await installBinaries({
        ...wanted,
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      })
    : await findBinaries(wanted);
  return paths?.helm ? [dirname(paths.helm)] : [];
}

function usesHelm(test: Test): boolean {
  const blocks = (step: Step): Operation[] => [...step.try, ...step.catch, ...step.finally, ...step.cleanup];
  return test.steps.some((step) => blocks(step).some((operation) => operation.type === "helm"));
}
