import { launchProcess, OutputCapture } from "../process/index.ts";

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Resolve with the output even when the command fails (a probe: "is it there?"). */
  allowFailure?: boolean;
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a short system command (`ip`, `iptables`, `mount`, `ctr`) to its end through the launcher and
 * returns its output; a failure throws with the command line and what it printed on stderr.
 */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: CommandOptions = {},
): Promise<CommandResult> {
  const stdout = new OutputCapture({ maxBytes: 4 * 1024 * 1024 });
  const stderr = new OutputCapture({ maxBytes: 64 * 1024 });
  const launched = launchProcess({
    command,
    args,
    env: options.env,
    stdout: stdout.stream(),
    stderr: stderr.stream(),
    signal: options.signal,
    afterExit: "kill",
  });
  const exit = await launched.exited;
  const result = { code: exit.code, stdout: stdout.text(), stderr: stderr.text() };
  if (options.allowFailure) return result;
  if (exit.error) throw new Error(`${command} could not start: ${exit.error.message}`);
  if (exit.code !== 0) {
    const why = exit.signal ?? `exit ${exit.code}`;
    throw new Error(`\`${[command, ...args].join(" ")}\` failed (${why}): ${result.stderr.trim()}`);
  }
  return result;
}
