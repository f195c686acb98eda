import { access, constants } from "node:fs/promises";
import { join } from "node:path";
import type { ComponentName } from "../versions.ts";
import { componentBinaries, componentVersion } from "../versions.ts";
import { runCommand } from "../../process/index.ts";

/** The arguments each binary takes to print its version, where `--version` is not it. */
const versionArgs: Record<string, string[]> = {
  kubectl: ["version", "--client"],
  "containerd-shim-runc-v2": ["-v"],
  coredns: ["-version"],
  helm: ["version", "--short"],
  // CNI plugins print "CNI bridge plugin v1.9.0" when run without a CNI command.
  bridge: [],
  "host-local": [],
  loopback: [],
  portmap: [],
};

/**
 * Checks that `dir` holds every binary of `component`, executable and reporting the pinned version.
 * Returns undefined when all is well, otherwise the reason (for "skipped: …" progress and errors).
 */
export async function checkComponentDir(component: ComponentName, dir: string): Promise<string | undefined> {
  const wanted = componentVersion(component);
  for (const binary of componentBinaries[component]) {
    const path = join(dir, binary);
    try {
      await access(path, constants.X_OK);
    } catch {
      return `${path} is missing or not executable`;
    }
    const reported = await reportedVersion(path, versionArgs[binary] ?? ["--version"]);
    if (!reported.includes(wanted)) {
      const firstLine = reported.split("\n")[0] ?? "";
      return `${path} reports "${firstLine.trim()}", expected version ${wanted}`;
    }
  }
  return undefined;
}

async function reportedVersion(path: string, args: string[]): Promise<string> {
  const result = await runCommand({ command: path, args, signal: AbortSignal.timeout(15_000) });
  if (result.error !== undefined) return `failed to run: ${result.error.message}`;
  return `${result.stdout}${result.stderr}`;
}
