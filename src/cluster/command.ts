import { commandFailure, runCommand, type CommandResult } from "../process/index.ts";

export interface SystemCommandOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Resolve with the result even when the command fails (a probe: "is it there?"). */
  allowFailure?: boolean;
}

/**
 * Runs a short system command (`ip`, `mount`, `unshare`, `ctr`, `apt-get`) to its end with the
 * launcher's `runCommand`, and throws with the command line and why when it fails, unless told not to:
 * the real node's set-up is a sequence of such steps, each of which must succeed.
 */
export async function runSystemCommand(
  command: string,
  args: readonly string[],
  options: SystemCommandOptions = {},
): Promise<CommandResult> {
  const result = await runCommand({
    command,
    args: [...args],
    ...(options.env ? { env: options.env } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (options.allowFailure) return result;
  const failure = commandFailure(result);
  if (failure !== undefined) throw new Error(`\`${[command, ...args].join(" ")}\` failed: ${failure}`);
  return result;
}
