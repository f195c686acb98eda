import { isAbsolute, join } from "node:path";
import type { CommandOperation, ScriptOperation } from "../../model/index.ts";
import { launchProcess, OutputCapture } from "../../process/index.ts";
import { templateString } from "../../template/template.ts";
import { operationBindings, processEnvironment } from "../common.ts";
import { judgeProcessResult } from "./check.ts";
import { processLabel } from "../convert-parts.ts";
import { expandArgs } from "../expand.ts";
import { OperationError, type OperationContext, type OperationOutcome } from "../types.ts";
import { formatDuration } from "../../source/duration.ts";

/** $stdout and $stderr keep the last 1 MiB each (the one capture policy: the tail). */
const outputCapBytes = 1024 * 1024;

interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * script (`sh -c content`, or the given shell) and command (entrypoint + args, no shell): local
 * processes with $NAMESPACE and $KUBECONFIG set and the pinned tools on $PATH, killed with their process group at the timeout. The
 * operation ends when the process exits; what it started in the background runs on to the end of
 * the test (see spawnBounded).
 * Without `check`, a non-zero exit fails the operation; with it, the check decides, seeing `$error`,
 * `$stdout` and `$stderr`.
 */
export async function runProcess(
  operation: ScriptOperation | CommandOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const t = (value: string): string => (operation.template ? templateString(value, bindings) : value);
  const env = processEnvironment(context);
  // Chainsaw's env names are expressions too (`name: ($var)`), giving the variable's name.
  for (const variable of operation.env) env[envName(t(variable.name))] = t(variable.value);
  const cwd = operation.workDir
    ? isAbsolute(operation.workDir)
      ? operation.workDir
      : join(context.baseDir, operation.workDir)
    : context.baseDir;
  const [file, args] =
    operation.type === "script"
      ? [operation.shell ?? "sh", [...(operation.shellArgs ?? ["-c"]), operation.content]]
      : [
          t(operation.entrypoint),
          // Chainsaw expands $VARIABLES in arguments itself (no shell runs a command).
          expandArgs(operation.args.map(t), (name) => env[name]),
        ];
  const result = await spawnBounded(file, args, {
    cwd,
    env,
    signal: context.signal,
    onLeftover: (stop) => context.onLeftover(stop),
  });
  const error = result.timedOut
    ? `timed out after ${formatDuration(context.timeoutMs)}`
    : result.exitCode === 0
      ? undefined
      : `exit status ${result.exitCode ?? "unknown (killed)"}`;
  return judgeProcessResult({
    result,
    error,
    check: operation.check,
    bindings,
    skipLogOutput: operation.skipLogOutput,
    location: operation.location,
    describe: () => describe(operation),
    outputs: operation.outputs,
    outer: context.bindings,
  });
}

/** A name an expression gave must still be one the environment can hold. */
function envName(name: string): string {
  if (!/^\w+$/.test(name)) {
    throw new OperationError(
      `env name ${JSON.stringify(name)} is not an environment variable name (letters, digits, _)`,
    );
  }
  return name;
}

/** How a failure names the process: with its command line, unless `skipCommandOutput` hides it. */
function describe(operation: ScriptOperation | CommandOperation): string {
  if (operation.skipCommandOutput === true) return operation.type;
  if (operation.label !== undefined) return operation.label;
  if (operation.type === "command") return `command ${[operation.entrypoint, ...operation.args].join(" ")}`;
  return processLabel("script", operation.content);
}

/**
 * What a script left running in its process group (`kubectl port-forward ... &`) gets SIGTERM at the
 * end of the test, and SIGKILL after this grace.
 */
const leftoverGraceMs = 1000;

/**
 * Runs the process to the exit of its shell (or itself). At the timeout or an interrupt its whole
 * process group is killed; what it leaves running after a normal exit goes to `onLeftover`.
 */
async function spawnBounded(
  file: string,
  args: string[],
  options: {
    cwd: string;
    env: NodeJS.ProcessEnv;
    signal: AbortSignal;
    onLeftover: OperationContext["onLeftover"];
  },
): Promise<ProcessResult> {
  const stdout = new OutputCapture({ maxBytes: outputCapBytes });
  const stderr = new OutputCapture({ maxBytes: outputCapBytes });
  const launched = launchProcess({
    command: file,
    args,
    cwd: options.cwd,
    env: options.env,
    stdout: stdout.stream(),
    stderr: stderr.stream(),
    signal: options.signal,
    afterExit: "keep",
  });
  const exit = await launched.exited;
  if (launched.running()) options.onLeftover(() => launched.stop(leftoverGraceMs));
  return {
    exitCode: exit.error ? 127 : exit.code,
    stdout: stdout.text(),
    stderr: exit.error ? `${stderr.text()}${exit.error.message}\n` : stderr.text(),
    timedOut: exit.stopped,
  };
}
