import { formatFailure, match } from "../../match/match.ts";
import type { Binding, SourceLocation } from "../../model/index.ts";
import type { Bindings } from "../../template/bindings.ts";
import { applyOutputs } from "../common.ts";
import type { OperationOutcome } from "../types.ts";

/**
 * Chainsaw's verdict on a finished process (a script, a command, or a command run in a pod by `exec`):
 * with `check`, the assertion tree decides, seeing `$stdout`, `$stderr` and `$error` (the failure, or
 * null; `$exitCode` too); without it, a failure (non-zero exit, timeout) fails the operation, with the
 * last lines of stderr. A passed process registers its `outputs` (evaluated with those bindings) on
 * `outer`, the bindings the operations after it see.
 */
export function judgeProcessResult(options: {
  result: { stdout: string; stderr: string; exitCode: number | null };
  error: string | undefined;
  check: unknown;
  bindings: Bindings;
  skipLogOutput: boolean;
  location: SourceLocation;
  describe: () => string;
  outputs: readonly Binding[];
  outer: Bindings;
}): OperationOutcome {
  const { result, error } = options;
  // Chainsaw's skipLogOutput: check and outputs still see $stdout and $stderr, but the result does not
  // record them, so no reporter or report file shows them (secrets, noise).
  const output = options.skipLogOutput ? {} : { output: { stdout: result.stdout, stderr: result.stderr } };
  const scope = options.bindings
    .with("stdout", result.stdout)
    .with("stderr", result.stderr)
    .with("error", error ?? null)
    .with("exitCode", result.exitCode);
  // As in Chainsaw, a check also decides a process that timed out (`($error != null): true`).
  if (options.check !== undefined) {
    const checked = match(options.check, null, { bindings: scope });
    if (!checked.ok) {
      return {
        status: "failed",
        ...output,
        error: {
          message: `check failed: ${checked.failures.map(formatFailure).join("; ")}`,
          location: options.location,
        },
      };
    }
  } else if (error) {
    const stderrTail = options.skipLogOutput ? "" : result.stderr.trim().split("\n").slice(-5).join("\n");
    return {
      status: "failed",
      ...output,
      error: {
        message: `${options.describe()}: ${error}${stderrTail ? `\n${stderrTail}` : ""}`,
        location: options.location,
      },
    };
  }
  return { status: "passed", ...output, bindings: applyOutputs(options.outputs, options.outer, null, scope) };
}
