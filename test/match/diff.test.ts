import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { pruneToExpected, renderDiff, toYaml } from "../../src/match/diff.ts";

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "example-5477b4ff8c-tnhd9",
    namespace: "chainsaw-rare-liger",
    labels: { app: "nginx" },
    uid: "118abe16",
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "example-5477b4ff8c" }],
    managedFields: [{ manager: "kube-controller-manager" }],
  },
  spec: {
    containers: [{ name: "nginx", image: "nginx:1", ports: [{ containerPort: 80 }] }],
    nodeName: "kwok-node-0",
  },
  status: { phase: "Running", conditions: [{ type: "Ready", status: "False" }] },
};

describe("pruneToExpected", () => {
  it("keeps what the expected document mentions, plus apiVersion, kind, name and ownerReferences (as Chainsaw)", () => {
    const expected = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { annotations: { foo: "bar" }, labels: { app: "nginx" } },
      spec: {},
    };
    assert.deepEqual(pruneToExpected(expected, pod), {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: pod.metadata.name,
        ownerReferences: pod.metadata.ownerReferences,
        labels: { app: "nginx" },
      },
      spec: {},
    });
  });

  it("prunes array elements to the shape of the expected elements", () => {
    const expected = { spec: { containers: [{ image: "nginx:2" }] } };
    assert.deepEqual(pruneToExpected(expected, pod), { spec: { containers: [{ image: "nginx:1" }] } });
  });

  it("follows (field.chain) and ~ keys, and keeps fields read by other expressions whole", () => {
    const expected = parse(`
spec:
  ~.(containers):
    name: nginx
status:
  (conditions[?type == 'Ready']):
  - status: 'True'
  (phase):
    x: 1
`) as unknown;
    assert.deepEqual(pruneToExpected(expected, pod), {
      spec: { containers: [{ name: "nginx" }] },
      status: { conditions: pod.status.conditions, phase: "Running" },
    });
  });

  it("returns the actual value when shapes differ", () => {
    assert.equal(pruneToExpected({ a: 1 }, "scalar"), "scalar");
    assert.deepEqual(pruneToExpected([1], [1, 2]), [1, 2]);
  });
});

describe("renderDiff", () => {
  it("renders a focused unified diff of sorted YAML (Chainsaw's comprehensive reporting example)", () => {
    const expected = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { annotations: { foo: "bar" }, labels: { app: "nginx" }, namespace: "chainsaw-rare-liger" },
      spec: {},
    };
    const diff = renderDiff(expected, pod);
    assert.equal(
      diff,
      [
        "--- expected",
        "+++ actual",
        "@@ -1,9 +1,12 @@",
        " apiVersion: v1",
        " kind: Pod",
        " metadata:",
        "-  annotations:",
        "-    foo: bar",
        "   labels:",
        "     app: nginx",
        "+  name: example-5477b4ff8c-tnhd9",
        "   namespace: chainsaw-rare-liger",
        "+  ownerReferences:",
        "+    - apiVersion: apps/v1",
        "+      kind: ReplicaSet",
        "+      name: example-5477b4ff8c",
        " spec: {}",
        "",
      ].join("\n"),
    );
  });

  it("is empty when the renderings are identical", () => {
    assert.equal(renderDiff({ a: 1 }, { a: 1, b: 2 }), "");
  });

  it("can render the whole actual object", () => {
    const diff = renderDiff(
      { a: 1 },
      { a: 2, b: 3 },
      { full: true, expectedLabel: "assert.yaml", actualLabel: "cluster" },
    );
    assert.match(diff, /^--- assert\.yaml\n\+\+\+ cluster\n/);
    assert.match(diff, /\+b: 3/);
  });

  it("renders YAML with sorted keys", () => {
    assert.equal(toYaml({ b: 1, a: { d: 1, c: 2 } }), "a:\n  c: 2\n  d: 1\nb: 1\n");
  });
});
