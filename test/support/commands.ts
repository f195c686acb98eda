import { execFileSync } from "node:child_process";

/** True when `command args` runs on this machine (a tool a test needs, e.g. `go version`). */
export function commandAvailable(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
