import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/**
 * A $KUBECONFIG value for processes a run starts (scripts, commands) that selects `context`: a small
 * file holding only `current-context`, placed first in the list. kubectl and client libraries merge
 * the list and take current-context from the first file that sets it, and everything else from
 * `paths` unchanged (relative certificate paths keep working).
 */
export async function kubeconfigForContext(paths: readonly string[], context: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "kubeproof-kubeconfig-"));
  const selector = join(dir, "context");
  await writeFile(selector, `apiVersion: v1\nkind: Config\ncurrent-context: ${JSON.stringify(context)}\n`, {
    mode: 0o600,
  });
  return [selector, ...paths].join(delimiter);
}
