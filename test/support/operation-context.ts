import type { KubeClient } from "../../src/kube/client.ts";
import type { Resources } from "../../src/kube/resources.ts";
import type { OperationContext } from "../../src/ops/index.ts";
import { Bindings } from "../../src/template/bindings.ts";

export interface OperationTarget {
  resources: Resources;
  client: KubeClient;
  kubeconfig: string;
  namespace: string;
}

/**
 * What a test needs to run one operation by itself against the shared cluster, outside a test run:
 * no bindings or labels, nothing recorded, a timeout of `timeoutMs`.
 */
export function operationContext(target: OperationTarget, timeoutMs: number): OperationContext {
  return {
    ...target,
    bindings: Bindings.empty(),
    signal: AbortSignal.timeout(timeoutMs),
    timeoutMs,
    labels: {},
    baseDir: process.cwd(),
    onCreated: () => {},
    onLeftover: () => {},
    propagation: "Background",
  };
}
