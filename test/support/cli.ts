import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../src/cli/bin.ts", import.meta.url));
// Resolved here, not by the child: fixture projects run with their own working directory.
const tsx = import.meta.resolve("tsx");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
}

/** Starts the kubeproof CLI from source as a subprocess; `result` settles when it exits. */
export function startCli(
  args: string[],
  options: CliOptions = {},
): { child: ChildProcess; output: () => CliResult; result: Promise<CliResult> } {
  const child = spawn(process.execPath, ["--import", tsx, bin, ...args], {
    cwd: options.cwd,
    // Plain output unless a test asks for colour: picocolors colours whenever CI is set, as in CI.
    env: { ...withoutColorForcing(process.env), NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.input ?? "");
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
  return { child, output: () => ({ code: null, stdout, stderr }), result };
}

/** Runs the kubeproof CLI from source as a subprocess, as a user would run the installed binary. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Output with ANSI colours removed and durations replaced, for exact comparisons. */
export function normalize(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- ANSI escapes are exactly what is being removed
      .replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
      .replace(/\b(\d+h)?(\d+m)?\d+(\.\d+)?(ms|s)\b/g, "<t>")
      .replace(/kp-[a-z0-9-]+-[0-9a-f]{6}\b/g, "<ns>")
  );
}

function withoutColorForcing(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, ...rest } = env;
  return rest;
}
