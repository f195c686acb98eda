import assert from "node:assert/strict";
import { test } from "node:test";
import { normalizeReference } from "../../src/cluster/providers/real/agent/registry.ts";

test("image references normalize as the kubelet and the Docker CLI read them", () => {
  const cases: [string, string][] = [
    ["busybox", "docker.io/library/busybox:latest"],
    ["busybox:1.36", "docker.io/library/busybox:1.36"],
    ["docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"],
    ["index.docker.io/library/busybox:1.36", "docker.io/library/busybox:1.36"],
    ["team/app:2", "docker.io/team/app:2"],
    ["ghcr.io/org/app:v1", "ghcr.io/org/app:v1"],
    ["localhost:5000/app", "localhost:5000/app:latest"],
    ["registry.k8s.io/e2e-test-images/agnhost:2.63", "registry.k8s.io/e2e-test-images/agnhost:2.63"],
    [`app@sha256:${"a".repeat(64)}`, `docker.io/library/app@sha256:${"a".repeat(64)}`],
  ];
  for (const [ref, normalized] of cases) assert.equal(normalizeReference(ref), normalized, ref);
});
