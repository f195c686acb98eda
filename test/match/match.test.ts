import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { formatFailure, match, type MatchOptions } from "../../src/match/match.ts";
import { Bindings } from "../../src/template/bindings.ts";

const opts: MatchOptions = { bindings: Bindings.empty() };
const y = (text: string): unknown => parse(text) as unknown;

function lines(expected: unknown, actual: unknown, options: MatchOptions = opts): string[] {
  return match(expected, actual, options).failures.map(formatFailure);
}

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "coredns", namespace: "kube-system", labels: { "k8s-app": "kube-dns" } },
  spec: {
    replicas: 2,
    template: {
      spec: {
        securityContext: { runAsNonRoot: true },
        containers: [
          { name: "coredns", image: "coredns:1.11", securityContext: null },
          { name: "sidecar", image: "busybox" },
        ],
      },
    },
  },
  status: {
    conditions: [
      { type: "Available", status: "True" },
      { type: "Progressing", status: "True" },
    ],
  },
};

describe("assertion trees: Chainsaw documentation examples", () => {
  it("basic assertion: partial match of a Deployment (spec.replicas: 2)", () => {
    const expected = y(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  replicas: 2
`);
    assert.deepEqual(match(expected, deployment, opts), { ok: true, failures: [] });
    assert.deepEqual(lines(expected, { ...deployment, spec: { ...deployment.spec, replicas: 1 } }), [
      "spec.replicas: Invalid value: 1: Expected value: 2",
    ]);
  });

  it("beyond equality: (replicas > 3): true, bare numbers as the docs write them", () => {
    const expected = y("spec:\n  (replicas > 3): true\n");
    assert.equal(match(expected, { spec: { replicas: 4 } }, opts).ok, true);
    assert.deepEqual(lines(expected, { spec: { replicas: 2 } }), [
      "spec.(replicas > 3): Invalid value: false: Expected value: true",
    ]);
    const ranged = y("spec:\n  (replicas > `3` && replicas < `6`): true\n");
    assert.equal(match(ranged, { spec: { replicas: 5 } }, opts).ok, true);
    assert.equal(match(ranged, { spec: { replicas: 6 } }, opts).ok, false);
  });

  it("filtering: (conditions[?type == 'Ready']) must be a one-element list with status 'True'", () => {
    const expected = y(`
status:
  (conditions[?type == 'Ready']):
  - status: 'True'
`);
    const ready = {
      status: {
        conditions: [
          { type: "Ready", status: "True" },
          { type: "Other", status: "False" },
        ],
      },
    };
    assert.equal(match(expected, ready, opts).ok, true);
    const notReady = { status: { conditions: [{ type: "Ready", status: "False" }] } };
    assert.deepEqual(lines(expected, notReady), [
      `status.(conditions[?type == 'Ready'])[0].status: Invalid value: "False": Expected value: "True"`,
    ]);
    const missing = { status: { conditions: [] } };
    assert.match(lines(expected, missing)[0] ?? "", /lengths of slices don't match \(expected 1, got 0\)/);
  });

  it("comprehensive reporting: a missing annotation reads like Chainsaw's message", () => {
    const expected = { metadata: { annotations: { foo: "bar" } } };
    assert.deepEqual(lines(expected, { metadata: { annotations: { foo: null } } }), [
      `metadata.annotations.foo: Invalid value: "null": Expected value: "bar"`,
    ]);
    assert.deepEqual(lines(expected, { metadata: {} }), [
      "metadata.annotations: Required value: field not found in the input object",
    ]);
  });

  it("array assertions example (~.(filter), ~index binding, nested iteration)", () => {
    const pod = y(`
apiVersion: v1
kind: Pod
metadata:
  name: example
spec:
  containers:
  - name: container-1
    image: nginx-1
    env:
    - name: ENV_1
      value: value-1
  - name: container-2
    image: nginx-2
    env:
    - name: ENV_2
      value: value-2
  - name: container-3
    image: nginx-3
    env:
    - name: ENV_3
      value: value-3
`);
    const expected = y(`
apiVersion: v1
kind: Pod
metadata:
  name: example
spec:
  ~.(containers[?name == 'container-1']):
    image: nginx-1
  ~index.(containers):
    image: (join('-', ['nginx', to_string($index + \`1\`)]))
  ~index2.(containers):
    ~.(env):
      name: (join('_', ['ENV', to_string($index2 + \`1\`)]))
      value: (join('-', ['value', to_string($index2 + \`1\`)]))
`);
    assert.deepEqual(match(expected, pod, opts), { ok: true, failures: [] });
    const broken = structuredClone(pod) as { spec: { containers: { image: string }[] } };
    const second = broken.spec.containers[1];
    assert.ok(second);
    second.image = "nginx-9";
    const result = match(expected, broken, opts);
    assert.deepEqual(result.failures.map(formatFailure), [
      `spec.~index.(containers)[1].image: Invalid value: "nginx-9": Expected value: "nginx-2"`,
    ]);
    assert.deepEqual(result.failures[0]?.path, ["spec", "~index.(containers)", "image"]);
  });

  it("assertion-tree example: (spec)->specBinding and ~.(containers)", () => {
    const expected = y(`
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    k8s-app: kube-dns
  namespace: kube-system
spec:
  template:
    (spec)->specBinding:
      ~.(containers):
        ($specBinding.securityContext != null || securityContext != null): true
`);
    assert.equal(match(expected, deployment, opts).ok, true);
    const insecure = structuredClone(deployment);
    insecure.spec.template.spec.securityContext = null as unknown as { runAsNonRoot: boolean };
    assert.deepEqual(lines(expected, insecure), [
      "spec.template.(spec)->specBinding.~.(containers)[0].($specBinding.securityContext != null || securityContext != null): Invalid value: false: Expected value: true",
      "spec.template.(spec)->specBinding.~.(containers)[1].($specBinding.securityContext != null || securityContext != null): Invalid value: false: Expected value: true",
    ]);
  });

  it("checks on operation results: ($error): ~ and ($stdout): hello chainsaw", () => {
    const check = y("($error): ~\n($stdout): hello chainsaw\n");
    const ok = Bindings.from({ error: null, stdout: "hello chainsaw", stderr: "" });
    assert.equal(match(check, null, { bindings: ok }).ok, true);
    const failed = Bindings.from({ error: "exit status 1", stdout: "", stderr: "boom" });
    assert.deepEqual(lines(check, null, { bindings: failed }), [
      `($error): Invalid value: "exit status 1": Expected value: null`,
      `($stdout): Invalid value: "": Expected value: "hello chainsaw"`,
    ]);
  });
});

describe("assertion trees: kyverno-json documentation examples", () => {
  const payload = { foo: { baz: true, bar: 4, bat: 6 } };

  it("projections: (bar > `3`): true, (!baz): false, (bar + bat): 10", () => {
    const expected = { foo: { "(bar > `3`)": true, "(!baz)": false, "(bar + bat)": 10 } };
    assert.equal(match(expected, payload, opts).ok, true);
    assert.deepEqual(lines({ foo: { "(bar + bat)": 11 } }, payload), [
      "foo.(bar + bat): Invalid value: 10: Expected value: 11",
    ]);
  });

  it("modifiers: without ~ the array is compared whole, with ~ each element is checked", () => {
    const input = { foo: { bar: [1, 2, 3] } };
    assert.equal(match({ foo: { bar: [1, 2, 3] } }, input, opts).ok, true);
    assert.equal(match({ foo: { "~.bar": { "(@ < `5`)": true } } }, input, opts).ok, true);
    assert.deepEqual(lines({ foo: { "~.bar": { "(@ < `3`)": true } } }, input), [
      "foo.~.bar[2].(@ < `3`): Invalid value: false: Expected value: true",
    ]);
  });

  it("~name over a map binds the key", () => {
    const input = { labels: { a: "a", b: "b" } };
    assert.equal(match({ "~key.(labels)": { "(@ == $key)": true } }, input, opts).ok, true);
    assert.deepEqual(lines({ "~key.(labels)": { "(@ == 'a')": true } }, input), [
      "~key.(labels)[b].(@ == 'a'): Invalid value: false: Expected value: true",
    ]);
  });

  it("explicit bindings (->name): visible to descendants, overridden for descendants only", () => {
    const input = { foo: { bar: 4, bat: 6 } };
    assert.equal(match({ foo: { "(bar + bat)->sum": { "($sum)": 10 } } }, input, opts).ok, true);
    const nested = { foo: { "(bar + bat)->sum": { "($sum + $sum)->sum": { "($sum)": 20 }, "($sum)": 10 } } };
    assert.equal(match(nested, input, opts).ok, true);
  });

  it("bindings from the context: Team: ($expectedTeam)", () => {
    const b = Bindings.from({ expectedTeam: "kyverno" });
    assert.equal(
      match(
        { values: { tags: { Team: "($expectedTeam)" } } },
        { values: { tags: { Team: "kyverno" } } },
        { bindings: b },
      ).ok,
      true,
    );
  });

  it("escaping: \\(bar)\\ is a literal key", () => {
    const input = { foo: { "(bar)": 4 } };
    assert.equal(match({ foo: { "\\(bar)\\": 4 } }, input, opts).ok, true);
    assert.deepEqual(lines({ foo: { "\\(bar)\\": 10 } }, input), [
      "foo.\\(bar)\\: Invalid value: 4: Expected value: 10",
    ]);
  });

  it("the serviceAccountName policy: (serviceAccountName == 'default'): false", () => {
    const expected = { spec: { "(serviceAccountName == 'default')": false } };
    assert.equal(match(expected, { spec: { serviceAccountName: "app" } }, opts).ok, true);
    assert.equal(match(expected, { spec: { serviceAccountName: "default" } }, opts).ok, false);
  });
});
