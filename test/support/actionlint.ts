import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { kubeproofHome } from "../../src/source/home.ts";

/** The actionlint the workflow tests check `kubeproof ci init`'s output with. */
export const ACTIONLINT_VERSION = "1.7.12";

/**
 * actionlint, built once from Go modules (`go install`, through the Go module proxy) into
 * `<kubeproof home>/tools/actionlint-v<version>/`, and reused from there. Undefined without Go.
 */
export function actionlint(): string | undefined {
  const dir = join(kubeproofHome(), "tools", `actionlint-v${ACTIONLINT_VERSION}`);
  const binary = join(dir, "actionlint");
  if (existsSync(binary)) return binary;
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync("go", ["install", `github.com/rhysd/actionlint/cmd/actionlint@v${ACTIONLINT_VERSION}`], {
      env: { ...process.env, GOBIN: staging, GOTOOLCHAIN: "local", GOFLAGS: "-trimpath", CGO_ENABLED: "0" },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } catch {
    rmSync(staging, { recursive: true, force: true });
    return undefined;
  }
  // Another test process may have won the race: its binary is as good.
  if (!existsSync(binary)) renameSync(staging, dir);
  else rmSync(staging, { recursive: true, force: true });
  return binary;
}
