import assert from "node:assert/strict";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import type { KubeObject } from "../../src/kube/resources.ts";
import { recordedRelease } from "../../src/ops/helm/record.ts";

// helm's storage: the release as JSON, gzipped, base64 (and a Secret's data is base64 again in the API).
const release = {
  name: "widgets",
  namespace: "kp-t-abc123",
  version: 2,
  manifest: [
    "---",
    "# Source: chart/templates/role.yaml",
    "apiVersion: rbac.authorization.k8s.io/v1",
    "kind: ClusterRole",
    "metadata:",
    "  name: widgets-reader",
    "---",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: widgets-settings",
    "---",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: elsewhere",
    "  namespace: other",
    "",
  ].join("\n"),
  hooks: [{ manifest: "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: widgets-migrate\n" }],
};
const encoded = gzipSync(JSON.stringify(release)).toString("base64");

const secret = (data: string, type = "helm.sh/release.v1"): KubeObject => ({
  apiVersion: "v1",
  kind: "Secret",
  type,
  metadata: { name: "sh.helm.release.v1.widgets.v2", namespace: "kp-t-abc123", labels: { owner: "helm" } },
  data: { release: data },
});

const expected = [
  {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    name: "widgets-reader",
    namespace: "kp-t-abc123",
  },
  { apiVersion: "v1", kind: "ConfigMap", name: "widgets-settings", namespace: "kp-t-abc123" },
  { apiVersion: "v1", kind: "ConfigMap", name: "elsewhere", namespace: "other" },
  { apiVersion: "batch/v1", kind: "Job", name: "widgets-migrate", namespace: "kp-t-abc123" },
];

test("a helm release Secret lists the objects of its manifest and hooks", () => {
  const found = recordedRelease(secret(Buffer.from(encoded).toString("base64")));
  assert.deepEqual(found, { name: "widgets", namespace: "kp-t-abc123", objects: expected });
});

test("a release in a ConfigMap (HELM_DRIVER=configmap) is read too", () => {
  const configMap = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "widgets.v2", namespace: "kp-t-abc123", labels: { owner: "helm", name: "widgets" } },
    data: { release: encoded },
  } as KubeObject;
  assert.deepEqual(recordedRelease(configMap)?.objects, expected);
});

test("other Secrets and ConfigMaps are no release records", () => {
  assert.equal(recordedRelease(secret(Buffer.from(encoded).toString("base64"), "Opaque")), undefined);
  const plain = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { release: "v1" } };
  assert.equal(recordedRelease(plain as KubeObject), undefined);
});
