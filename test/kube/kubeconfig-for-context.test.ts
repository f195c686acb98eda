import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { test } from "node:test";
import { kubeconfigForContext } from "../../src/kube/kubeconfig-for-context.ts";

test("a context selector is one file per context under kubeproof's home, first in the list", async (t) => {
  const home = await mkdtemp(join(tmpdir(), "kp-contexts-"));
  t.after(() => rm(home, { recursive: true, force: true }));
  const first = await kubeconfigForContext(["/a/config", "/b/config"], "prod", home);
  const again = await kubeconfigForContext(["/a/config"], "prod", home);
  const other = await kubeconfigForContext(["/a/config"], "dev", home);
  const [selector, ...rest] = first.split(delimiter);
  assert.deepEqual(rest, ["/a/config", "/b/config"]);
  assert.equal(again.split(delimiter)[0], selector, "the same context reuses its file");
  assert.notEqual(other.split(delimiter)[0], selector);
  assert.match(await readFile(selector, "utf8"), /^current-context: "prod"$/m);
  // Two selectors and nothing half written left beside them.
  assert.equal((await readdir(join(home, "contexts"))).length, 2);
});
