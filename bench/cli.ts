import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * The command that starts the CLI a benchmark measures: `bin/kubeproof.js` on a fresh build of
 * `dist/` (what users run), or with `fromSource` the tests' `node --import tsx src/cli/bin.ts`.
 */
export function cliCommand(fromSource: boolean): string[] {
  if (fromSource)
    return [process.execPath, "--import", import.meta.resolve("tsx"), join(root, "src/cli/bin.ts")];
  execFileSync(
    process.execPath,
    [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  // Run as the installed `kubeproof` command runs it: through its first line (see bin/kubeproof.js).
  return [join(root, "bin/kubeproof.js")];
}
