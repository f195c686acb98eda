import assert from "node:assert/strict";
import { test } from "node:test";
import type { KubeObject } from "../../src/kube/resources.ts";
import { imagePullHints } from "../../src/run/image-hints.ts";

const pod = (name: string, status: unknown): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name },
  status,
});
const waiting = (image: string, reason: string) => ({ name: "c", image, state: { waiting: { reason } } });

test("a hint per image a pod cannot pull, init containers included, and none for running pods", () => {
  const hints = imagePullHints([
    pod("a", { containerStatuses: [waiting("x.io/app:1", "ErrImagePull")] }),
    pod("b", { containerStatuses: [waiting("x.io/app:1", "ImagePullBackOff")] }),
    pod("c", { initContainerStatuses: [waiting("x.io/init:2", "ImagePullBackOff")] }),
    pod("d", { containerStatuses: [{ name: "c", image: "x.io/ok:1", state: { running: {} } }] }),
    pod("e", { containerStatuses: [waiting("x.io/crash:1", "CrashLoopBackOff")] }),
  ]);
  assert.equal(hints.length, 2);
  assert.match(
    hints[0] ?? "",
    /^pod a cannot get image "x\.io\/app:1" \(ErrImagePull\): .*`kubeproof cluster load <archive>`/,
  );
  assert.match(hints[1] ?? "", /^pod c cannot get image "x\.io\/init:2" \(ImagePullBackOff\)/);
});
