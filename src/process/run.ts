import { OutputCapture } from "./capture.ts";
import { launchProcess } from "./launch.ts";

/**
 * A short command run to completion for its output (git, a binary's `--version`, tar), on the one
 * launcher: same process group, kill policy and decoding as every other child.
 */
export interface RunCommandOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Stops the command (SIGKILL to its group) when it aborts, e.g. `AbortSignal.timeout(15_000)`. */
  signal?: AbortSignal;
  /** Output kept per stream; the command's tail past it is what callers see. Default 64 MiB. */
  maxBytes?: number;
}

export interface CommandResult {
  /** Null when a signal ended the command or it never started. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not start (ENOENT...), or that the signal stopped it. */
  error?: Error;
}

export async function runCommand(options: RunCommandOptions): Promise<CommandResult> {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const stdout = new OutputCapture({ maxBytes });
  const stderr = new OutputCapture({ maxBytes });
  const launched = launchProcess({
    command: options.command,
    ...(options.args === undefined ? {} : { args: options.args }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    stdout: stdout.stream(),
    stderr: stderr.stream(),
    afterExit: "kill",
  });
  const exit = await launched.exited;
  const stoppedError = exit.stopped ? stoppedBy(options.signal) : undefined;
  const error = exit.error ?? stoppedError;
  return { code: exit.code, stdout: stdout.text(), stderr: stderr.text(), ...(error ? { error } : {}) };
}

function stoppedBy(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error("stopped");
}

/**
 * Undefined when the command succeeded; else why, for messages: what it wrote to stderr, or its exit
 * code, or why it did not start.
 */
export function commandFailure(result: CommandResult): string | undefined {
  if (result.error !== undefined) return result.error.message;
  if (result.code === 0) return undefined;
  const said = result.stderr.trim();
  if (said !== "") return said;
  return result.code === null ? "ended by a signal" : `exit code ${result.code}`;
}
