import { mkdir, rename, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { delimiter, join } from "node:path";
import { kubeproofHome } from "../source/home.ts";

/**
 * A $KUBECONFIG value for processes a run starts (scripts, commands) that selects `context`: a small
 * file holding only `current-context`, placed first in the list. kubectl and client libraries merge
 * the list and take current-context from the first file that sets it, and everything else from
 * `paths` unchanged (relative certificate paths keep working).
 *
 * One file per context name under kubeproof's home, rewritten by each run, so runs leave no temporary
 * files behind however they end.
 */
export async function kubeconfigForContext(
  paths: readonly string[],
  context: string,
  home = kubeproofHome(),
): Promise<string> {
  const dir = join(home, "contexts");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const selector = join(dir, `${createHash("sha256").update(context).digest("hex").slice(0, 16)}.yaml`);
  // Written beside it and renamed: a concurrent run reading the file never sees it half written.
  const partial = `${selector}.${process.pid}`;
  await writeFile(partial, `apiVersion: v1\nkind: Config\ncurrent-context: ${JSON.stringify(context)}\n`, {
    mode: 0o600,
  });
  await rename(partial, selector);
  return [selector, ...paths].join(delimiter);
}
