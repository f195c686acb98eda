import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const created: string[] = [];
// Each test file runs in a process of its own: its projects go when it exits, passed or not.
process.once("exit", () => {
  for (const root of created) rmSync(root, { recursive: true, force: true });
});

/**
 * A project in a fresh temporary directory, removed when the test process exits: `files` maps paths
 * relative to it to their contents.
 */
export function tempProject(files: Record<string, string>, prefix = "kp-project-"): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  created.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
