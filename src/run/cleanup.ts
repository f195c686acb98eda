import type { AttemptContext } from "./environment.ts";
import { errorMessage } from "../source/errors.ts";
import { deletionPropagation, type StepState } from "./phase.ts";
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
    const started = Date.now();
    const name = `${object.kind} ${object.namespace ?? ""}/${object.name}`;
    try {
      await env.resources.delete({ ...object }, { propagation });
      for (;;) {
        const current = await env.resources.get({ ...object });
        if (!current?.metadata.finalizers?.length) break;
        if (Date.now() - started > timeoutMs) {
          warn(
            `${name} still has finalizers ${current.metadata.finalizers.join(", ")} after ${formatDuration(timeoutMs)}`,
          );
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (error) {
      warn(`deleting ${name}: ${errorMessage(error)}`);
    }
  }
}
