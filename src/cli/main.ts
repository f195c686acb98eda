import { Command, CommanderError } from "commander";
import { registerCleanCommand } from "./clean.ts";
import { registerCiCommands } from "./ci.ts";
import { registerClusterCommands } from "./cluster.ts";
import { registerEnvCommand } from "./env.ts";
import { registerTestCommand } from "./test.ts";
import { UsageError } from "./errors.ts";
import { registerGateCommand } from "./gate.ts";
import { registerShowReportCommand } from "./show-report.ts";
import { interruptSignal } from "./signals.ts";
import { errorMessage } from "../source/errors.ts";

export const exitCodes = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** The kubeproof CLI. Returns the exit code; bin/kubeproof.js sets it (the CLI never calls process.exit). */
export async function main(argv: readonly string[]): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const version = await packageVersion();
  const program = new Command("kubeproof")
    .description("Prove a Kubernetes change works on a real cluster.")
    .version(version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  const signals = interruptSignal();
  const context = {
    signal: signals.signal,
    setExitCode: (code: number) => {
      exitCode = code;
    },
  };
  registerTestCommand(program, context, version);
  registerCleanCommand(program, context);
  registerClusterCommands(program, context);
  registerGateCommand(program, context);
  registerShowReportCommand(program, context);
  registerEnvCommand(program, context);
  registerCiCommands(program, version);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0 through the same path as usage errors.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (signals.signal.aborted) return exitCodes.interrupted;
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      return exitCodes.usage;
    }
    console.error(`error: ${errorMessage(error)}`);
    return exitCodes.failed;
  } finally {
    signals.dispose();
  }
  return signals.signal.aborted ? exitCodes.interrupted : exitCode;
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const pkg = JSON.parse(await readFile(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}
