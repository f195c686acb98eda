import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../src/kube/resources.ts";
import { forceGracePeriod } from "../../src/ops/apply/grace-period.ts";

function object(kind: string, rest: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: "v1", kind, metadata: { name: "x" }, ...rest };
}

describe("forceGracePeriod (Chainsaw's forceTerminationGracePeriod)", () => {
  it("sets whole seconds on a pod's spec and on the pod templates of workloads", () => {
    const pod = object("Pod", { spec: { containers: [] } });
    forceGracePeriod(pod, 7900);
    assert.deepEqual(pod.spec, { containers: [], terminationGracePeriodSeconds: 7 });
    const cronJob = object("CronJob");
    forceGracePeriod(cronJob, 5000);
    assert.deepEqual(cronJob.spec, {
      jobTemplate: { spec: { template: { spec: { terminationGracePeriodSeconds: 5 } } } },
    });
    const deployment = object("Deployment", {
      spec: { template: { spec: { terminationGracePeriodSeconds: 60 } } },
    });
    forceGracePeriod(deployment, 1000);
    assert.deepEqual(deployment.spec, { template: { spec: { terminationGracePeriodSeconds: 1 } } });
  });

  it("leaves other kinds, an unset period and one under a second alone", () => {
    const configMap = object("ConfigMap");
    forceGracePeriod(configMap, 5000);
    assert.equal(configMap.spec, undefined);
    for (const ms of [undefined, 0, 999]) {
      const pod = object("Pod", { spec: {} });
      forceGracePeriod(pod, ms);
      assert.deepEqual(pod.spec, {});
    }
  });
});
