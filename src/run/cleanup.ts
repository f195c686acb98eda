import { hasFinalizers, waitForDeletion } from "../kube/deletion.ts";
import type { AttemptContext } from "./environment.ts";
import { errorMessage } from "../source/errors.ts";
import { deletionPropagation, type StepState } from "./phase.ts";
import { deadline } from "../source/deadline.ts";
import { cleanupTimeout } from "./timeouts.ts";
import { formatDuration } from "../source/duration.ts";

/**
 * Deletes what a step created, newest first, waiting for objects kept by finalizers: the next
 * deletion may depend on their controller. Problems become cleanup warnings of the attempt.
 */
export async function deleteCreated(ctx: AttemptContext, state: StepState): Promise<void> {
  const { env, test } = ctx;
  const timeoutMs = cleanupTimeout(state.step, test, env.config, env.timeoutMultiplier);
  const propagation = deletionPropagation(ctx, state.step);
  const warn = (warning: string): void => {
    (ctx.result.cleanupWarnings ??= []).push(warning);
  };
  for (const object of [...state.created].reverse()) {
    const name = `${object.kind} ${object.namespace ?? ""}/${object.name}`;
    const timer = deadline(timeoutMs);
    try {
      const { cluster, ...ref } = object;
      const resources = cluster?.resources ?? env.resources;
      const deleted = await resources.delete(ref, { propagation });
      const targets = deleted.map((answer) => ({
        ...answer,
        apiVersion: object.apiVersion,
        kind: object.kind,
      }));
      const [held] = await waitForDeletion(resources, targets, timer.signal, { holds: hasFinalizers });
      if (held)
        warn(
          `${name} still has finalizers ${held.metadata.finalizers?.join(", ")} after ${formatDuration(timeoutMs)}`,
        );
    } catch (error) {
      warn(`deleting ${name}: ${errorMessage(error)}`);
    } finally {
      timer.dispose();
    }
  }
}
