import { ClusterStartError } from "../errors.ts";
import type { ClusterPart, RunContext } from "./part.ts";
import { errorMessage } from "../../source/errors.ts";

/**
 * Checks what the parts declare before anything is set up: unique names and ports, known `after`
 * parts, and no cycle (which would wait forever).
 */
export function checkParts(parts: readonly ClusterPart[]): void {
  const byName = new Map<string, ClusterPart>();
  const portOwners = new Map<string, string>();
  for (const part of parts) {
    if (byName.has(part.name)) throw new ClusterStartError(`two cluster parts are named "${part.name}"`);
    byName.set(part.name, part);
    for (const port of part.ports) {
      const owner = portOwners.get(port);
      if (owner)
        throw new ClusterStartError(`parts "${owner}" and "${part.name}" both ask for port "${port}"`);
      portOwners.set(port, part.name);
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (part: ClusterPart, path: string[]): void => {
    if (done.has(part.name)) return;
    if (visiting.has(part.name))
      throw new ClusterStartError(`cluster parts wait for each other: ${[...path, part.name].join(" -> ")}`);
    visiting.add(part.name);
    for (const name of part.after) {
      const dependency = byName.get(name);
      if (!dependency)
        throw new ClusterStartError(`part "${part.name}" comes after "${name}", which is not a part`);
      visit(dependency, [...path, part.name]);
    }
    visiting.delete(part.name);
    done.add(part.name);
  };
  for (const part of parts) visit(part, []);
}

export interface PartProgress {
  /** Called when a part begins to start: every part it comes after is ready. */
  started(part: ClusterPart): void;
  ready(part: ClusterPart): void;
  /** Called once, at the first failure, so that every other part's waits end too. */
  failed(reason: unknown): void;
}

/** The failures of a start, in the parts' order: the first explains, the others may add waits that timed out. */
export class PartsFailed extends Error {
  constructor(readonly errors: readonly unknown[]) {
    super(errors.map(errorMessage).join("; "));
    this.name = "PartsFailed";
  }
}

/**
 * Starts each part as soon as the parts it comes after are ready, and resolves when every part is
 * ready. On a failure it tells `progress`, lets every part settle (so no process starts after the
 * caller's teardown), and rejects with every failure.
 */
export async function runParts(
  parts: readonly ClusterPart[],
  contextFor: (part: ClusterPart) => RunContext,
  progress: PartProgress,
): Promise<void> {
  checkParts(parts);
  const byName = new Map(parts.map((part) => [part.name, part]));
  const readiness = new Map<string, Promise<void>>();
  let failed = false;
  const readyOf = (part: ClusterPart): Promise<void> => {
    const known = readiness.get(part.name);
    if (known) return known;
    const promise = (async () => {
      await Promise.all(part.after.map((name) => readyOf(byName.get(name) as ClusterPart)));
      const ctx = contextFor(part);
      ctx.signal.throwIfAborted();
      progress.started(part);
      await part.start(ctx);
      await part.ready(ctx);
      progress.ready(part);
    })().catch((error: unknown) => {
      if (!failed) {
        failed = true;
        progress.failed(error);
      }
      throw error;
    });
    readiness.set(part.name, promise);
    return promise;
  };
  const results = await Promise.allSettled(parts.map(readyOf));
  // A part waiting for a failed one rejects with the same error: keep each once.
  const errors = new Set(results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : [])));
  if (errors.size > 0) throw new PartsFailed([...errors]);
}
