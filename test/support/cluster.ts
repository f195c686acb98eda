import type { TestContext } from "node:test";

/**
 * The shared local cluster started by `scripts/test.ts` for this test run.
 * Returns the kubeconfig path, or skips the calling test (with the reason) when the run has no cluster.
 */
export function sharedKubeconfig(t: TestContext): string | undefined {
  const kubeconfig = process.env.KUBEPROOF_TEST_KUBECONFIG;
  if (kubeconfig) return kubeconfig;
  t.skip(process.env.KUBEPROOF_TEST_NO_CLUSTER ?? "no shared cluster for this run");
  return undefined;
}
