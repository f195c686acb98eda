import { spawn } from "node:child_process";
import { isAbsolute, join } from "node:path";
import { match, formatFailure } from "../../match/match.ts";
import type { CommandOperation, ScriptOperation } from "../../model/index.ts";
import { templateString } from "../../template/template.ts";
import { applyOutputs, operationBindings } from "../common.ts";
import { expandArgs } from "../expand.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";

const outputCapBytes = 1024 * 1024;

interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * script (`sh -c content`, or the given shell) and command (entrypoint + args, no shell): local
 * processes with $NAMESPACE and $KUBECONFIG set, killed with their process group at the timeout.
 * Without `check`, a non-zero exit fails the operation; with it, the check decides, seeing `$error`,
 * `$stdout` and `$stderr`.
 */
export async function runProcess(
  operation: ScriptOperation | CommandOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const t = (value: string): string => (operation.template ? templateString(value, bindings) : value);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NAMESPACE: context.namespace,
    KUBECONFIG: context.kubeconfig,
  };
  for (const variable of operation.env) env[variable.name] = t(variable.value);
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
  const result = await spawnBounded(file, args, { cwd, env, signal: context.signal });
  const error = result.timedOut
    ? `timed out after ${context.timeoutMs} ms`
    : result.exitCode === 0
      ? undefined
      : `exit status ${result.exitCode ?? "unknown (killed)"}`;
  // Chainsaw's skipLogOutput: check and outputs still see $stdout and $stderr, but the result does not
  // record them, so no reporter or report file shows them (secrets, noise).
  const output = operation.skipLogOutput ? {} : { output: { stdout: result.stdout, stderr: result.stderr } };
  const withOutput = bindings
    .with("stdout", result.stdout)
    .with("stderr", result.stderr)
    .with("error", error ?? null);
  // As in Chainsaw, a check also decides a process that timed out (`($error != null): true`).
  if (operation.check !== undefined) {
    const checked = match(operation.check, null, { bindings: withOutput });
    if (!checked.ok) {
      return {
        status: "failed",
        ...output,
        error: {
          message: `check failed: ${checked.failures.map(formatFailure).join("; ")}`,
          location: operation.location,
        },
      };
    }
  } else if (error) {
    const stderrTail = operation.skipLogOutput ? "" : result.stderr.trim().split("\n").slice(-5).join("\n");
    return {
      status: "failed",
      ...output,
      error: {
        message: `${describe(operation)}: ${error}${stderrTail ? `\n${stderrTail}` : ""}`,
        location: operation.location,
      },
    };
  }
  return {
    status: "passed",
    ...output,
    bindings: applyOutputs(operation.outputs, context.bindings, null, withOutput),
  };
}

/** How a failure names the process: with its command line, unless `skipCommandOutput` hides it. */
function describe(operation: ScriptOperation | CommandOperation): string {
  if (operation.skipCommandOutput === true) return operation.type;
  if (operation.type === "command") return `command ${[operation.entrypoint, ...operation.args].join(" ")}`;
  const firstLine = operation.content.trim().split("\n")[0] ?? "";
  return `script "${firstLine.length > 60 ? `${firstLine.slice(0, 57)}...` : firstLine}"`;
}

function spawnBounded(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal },
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const append = (current: string, chunk: Buffer): string =>
      current.length > outputCapBytes ? current : current + chunk.toString("utf8");
    child.stdout.on("data", (chunk: Buffer) => (stdout = append(stdout, chunk)));
    child.stderr.on("data", (chunk: Buffer) => (stderr = append(stderr, chunk)));
    let timedOut = false;
    const kill = (): void => {
      timedOut = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    if (options.signal.aborted) kill();
    options.signal.addEventListener("abort", kill, { once: true });
    child.on("error", (error) => {
      options.signal.removeEventListener("abort", kill);
      resolve({ exitCode: 127, stdout, stderr: `${stderr}${error.message}\n`, timedOut });
    });
    child.on("close", (code) => {
      options.signal.removeEventListener("abort", kill);
      resolve({ exitCode: code, stdout, stderr, timedOut });
    });
  });
}
