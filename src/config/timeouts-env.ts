import { DURATION_EXAMPLES, parseDuration } from "../source/duration.ts";
import type { Config } from "./config-schema.ts";

type TimeoutClass = keyof Config["timeouts"];

/** Every class a configuration's `timeouts` block sets, each with the variable that overrides it. */
const VARIABLES = {
  apply: "KUBEPROOF_TIMEOUT_APPLY",
  assert: "KUBEPROOF_TIMEOUT_ASSERT",
  cleanup: "KUBEPROOF_TIMEOUT_CLEANUP",
  delete: "KUBEPROOF_TIMEOUT_DELETE",
  error: "KUBEPROOF_TIMEOUT_ERROR",
  exec: "KUBEPROOF_TIMEOUT_EXEC",
} as const satisfies Record<TimeoutClass, string>;

/**
 * The timeout classes set from the environment, as a suite's CI sets its waits (the EPP suite's
 * READY_TIMEOUT and friends) without editing files. They replace the configuration file's values for
 * the run; a test's, step's or operation's own timeout still wins, as over the file. Throws on a value
 * that is not a duration, naming the variable.
 */
export function timeoutsFromEnvironment(env: NodeJS.ProcessEnv): Partial<Config["timeouts"]> {
  const found: Partial<Config["timeouts"]> = {};
  for (const [kind, variable] of Object.entries(VARIABLES) as [TimeoutClass, string][]) {
    const text = env[variable];
    if (text === undefined || text === "") continue;
    const ms = parseDuration(text.trim());
    if (ms === undefined)
      throw new Error(`${variable}: expected a duration such as ${DURATION_EXAMPLES}, got "${text}"`);
    found[kind] = ms;
  }
  return found;
}
