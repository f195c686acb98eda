import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { discover } from "../../src/load/discover.ts";
import { loadProject } from "../../src/load/index.ts";
import type {
  AssertLogsOperation,
  AssertPodPhaseOperation,
  DeleteOperation,
  Test,
} from "../../src/model/index.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";

const roots: string[] = [];
after(() => roots.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const CONFIG = `target_nodes: [node-a, node-b]
required_namespaces: [default, vk]
timeout_multiplier: 2
values:
  namespace: vk
  annotations: {a: b}
  tolerations: []
`;

const POD = `## a pod
apiVersion: v1
kind: Pod
metadata:
  name: p-{{ uuid }}
  namespace: {{ namespace }}
  annotations: {{ annotations | tojson }}
spec:
  nodeSelector: {kubernetes.io/hostname: {{ target_node }}}
`;

function project(files: Record<string, string>, config = CONFIG, templatesDir = "templates"): string {
  const dir = mkdtempSync(join(tmpdir(), "kp-vk-load-"));
  roots.push(dir);
  writeFileSync(join(dir, "vktest_config.yaml"), config);
  mkdirSync(join(dir, templatesDir), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, templatesDir, name), text);
  return dir;
}

function load(dir: string, fixes = false): Test[] {
  return discover([dir], { rootDir: dir, ...(fixes ? { vkTestSet: { fixes } } : {}) }).tests;
}

function errorsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof LoadErrors, String(error));
    return error.errors.map((e) => e.format());
  }
  assert.fail("expected LoadErrors");
}

const VALIDATION = `
########
# Validation
timeout_seconds: 5
check_pods:
  - name: p-{{ uuid }}
    namespace: {{ namespace }}
    status: Running
check_logs:
  - name: p-{{ uuid }}
    namespace: {{ namespace }}
    regex: (?P<w>hi)\\Z
    operator: CountExactly
    value: "2"
    container: main
clean_configs:
  - type: config_map
    name: c-{{ uuid }}
    namespace: {{ namespace }}
    condition: onFailure
`;

describe("vk-test-set loader", () => {
  it("has upstream's tests and ids: namespaces, nodes, then every node × sorted template", () => {
    const dir = project({ "010-b.yaml": POD + VALIDATION, "000-a.yaml": POD + VALIDATION, "notes.txt": "x" });
    const tests = load(dir);
    assert.deepEqual(
      tests.map((t) => t.name),
      [
        "test_namespace_exists[default]",
        "test_namespace_exists[vk]",
        "test_node_exists[node-a]",
        "test_node_exists[node-b]",
        "test_manifest[node-a-000-a.yaml]",
        "test_manifest[node-a-010-b.yaml]",
        "test_manifest[node-b-000-a.yaml]",
        "test_manifest[node-b-010-b.yaml]",
      ],
    );
    assert.equal(tests[4]?.id, "vktest_config.yaml::test_manifest[node-a-000-a.yaml]");
    assert.ok(tests.every((t) => t.format === "vk-test-set" && t.namespace === "vk"));
  });

  it("renders each test with its node and a fresh uuid, and maps the validation onto native operations", () => {
    const tests = load(project({ "000-a.yaml": POD + VALIDATION })).filter((t) =>
      t.name.startsWith("test_manifest"),
    );
    const [a, b] = tests;
    assert.ok(a && b);
    const podOf = (t: Test) =>
      t.steps[0]?.try[0] as { resources: { value: { metadata: { name: string }; spec: unknown } }[] };
    const name = podOf(a).resources[0]?.value.metadata.name ?? "";
    assert.match(name, /^p-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(name, podOf(b).resources[0]?.value.metadata.name);
    assert.deepEqual(podOf(b).resources[0]?.value.spec, {
      nodeSelector: { "kubernetes.io/hostname": "node-b" },
    });
    assert.equal(a.steps[0]?.skipDelete, true);
    const [phase, logs] = a.steps[1]?.try as [AssertPodPhaseOperation, AssertLogsOperation];
    assert.deepEqual(
      {
        type: phase.type,
        name: phase.name,
        phase: phase.phase,
        missing: phase.missing,
        timeoutMs: phase.timeoutMs,
      },
      { type: "assertPodPhase", name, phase: "Running", missing: "fail", timeoutMs: 10_000 },
    );
    assert.deepEqual(
      { regex: logs.regex, operator: logs.operator, value: logs.value, container: logs.container },
      { regex: "(?<w>hi)(?![\\s\\S])", operator: "CountExactly", value: "2", container: "main" },
    );
    assert.equal(`${logs.location.file}:${logs.location.line}`, "templates/000-a.yaml:19");
    const [clean] = a.steps[1]?.cleanup as [DeleteOperation];
    assert.deepEqual(clean.ref, {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: clean.ref?.name,
      namespace: "vk",
    });
    assert.equal(clean.when, "onFailure");
    // Upstream does not wait for the deletion: only what finalizers hold is waited for.
    assert.equal(clean.waitFor, "finalizers");
  });

  it("splits at the first line matching #+ *validation, case-insensitively; without one, all is manifest", () => {
    const dir = project({
      "000-none.yaml": POD,
      "010-upper.yaml": `${POD}### VALIDATION\ncheck_pods: []\ntimeout_seconds: 1\n`,
    });
    const tests = load(dir).filter((t) => t.name.startsWith("test_manifest"));
    const none = tests.find((t) => t.name.includes("000-none"));
    // No section: upstream's ValidationProcedure() whose timeout default is broken; faithful: the test fails.
    assert.equal(none?.steps[1]?.try[0]?.type, "script");
    const upper = tests.find((t) => t.name.includes("010-upper"));
    assert.deepEqual(upper?.steps[1]?.try, []);
    const fixed = load(dir, true).find((t) => t.name.includes("000-none"));
    assert.deepEqual(fixed?.steps[1]?.try, []);
  });

  it("reads YAML 1.1 as PyYAML does: yes is a boolean, 0755 octal", () => {
    const dir = project({
      "000-a.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nbinaryData: {}\nimmutable: yes\nx: 0755\n# validation\ntimeout_seconds: 1\n",
    });
    const cm = load(dir).find((t) => t.name.startsWith("test_manifest"))?.steps[0]?.try[0] as {
      resources: { value: Record<string, unknown> }[];
    };
    assert.equal(cm.resources[0]?.value.immutable, true);
    assert.equal(cm.resources[0]?.value.x, 493);
  });

  it("fails, as upstream, a template whose validation section upstream's schema rejects; the others load", () => {
    const bad = `${POD}# VALIDATION\ntimeout_seconds: 1\ncheck_pods:\n  - name: p-{{ uuid }}\n    namespace: x\n    status: Done\n    colour: red\nclean_configs:\n  - {type: job, name: a, namespace: b}\n`;
    const dir = project({ "000-a.yaml": bad, "010-b.yaml": `${POD}${VALIDATION}` });
    const { tests, warnings = [] } = discover([dir], { rootDir: dir });
    const text = warnings.map((w) => `${w.file}:${w.line}:${w.col}: ${w.message}`);
    for (const expected of [
      /^templates\/000-a\.yaml:15:5: check_pods\[0\]\.status: invalid value "Done"/,
      /^templates\/000-a\.yaml:16:5: check_pods\[0\]: unknown field "colour"/,
      /^templates\/000-a\.yaml:18:6: clean_configs\[0\]\.type: invalid value "job"/,
    ])
      assert.ok(
        text.some((w) => expected.test(w)),
        text.join("\n"),
      );
    const failing = tests.find((t) => t.name.includes("000-a"));
    // Nothing is created: upstream's pydantic model fails the test before create_from_yaml.
    assert.deepEqual(
      failing?.steps.map((s) => s.try.map((op) => op.type)),
      [["script"]],
    );
    const script = failing?.steps[0]?.try[0] as { content: string } | undefined;
    assert.match(script?.content ?? "", /templates\/000-a\.yaml:15:5: check_pods\[0\]\.status/);
    assert.deepEqual(
      tests.find((t) => t.name.includes("010-b"))?.steps.map((s) => s.name),
      ["create", "validate"],
    );
  });

  it("refuses, with --vk-test-set-fixes, what upstream only fails when the test runs", () => {
    const bad = `${POD}# VALIDATION\ntimeout_seconds: 1\ncheck_pods:\n  - {name: p, namespace: x, status: Done}\n`;
    const noApiVersion = `kind: Pod\nmetadata: {name: p}\n# VALIDATION\ntimeout_seconds: 1\n`;
    const dir = project({
      "000-a.yaml": bad,
      "010-b.yaml": noApiVersion,
      "020-c.yaml": `${POD}${VALIDATION}`,
    });
    const errors = errorsOf(() => discover([dir], { rootDir: dir, vkTestSet: { fixes: true } }));
    assert.ok(
      errors.some((e) =>
        /^templates\/000-a\.yaml:\d+:\d+: check_pods\[0\]\.status: invalid value "Done"/.test(e),
      ),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => /^templates\/010-b\.yaml:1:1: resource has no apiVersion/.test(e)),
      errors.join("\n"),
    );
  });

  it("fails, as upstream's create_from_yaml does, a template that renders a document without apiVersion", () => {
    // A `{%- ... -%}` line eats the newline: apiVersion ends up in the comment above it.
    const template = `## comment.\n{%- set x = dict(annotations) -%}\n\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n# VALIDATION\ntimeout_seconds: 1\n`;
    const dir = project({ "000-a.yaml": template });
    const { tests, warnings = [] } = discover([dir], { rootDir: dir });
    assert.match(
      `${warnings[0]?.file}:${warnings[0]?.line}:${warnings[0]?.col}: ${warnings[0]?.message}`,
      /^templates\/000-a\.yaml:\d+:\d+: resource has no apiVersion/,
    );
    const failing = tests.find((t) => t.name.includes("000-a"));
    assert.deepEqual(
      failing?.steps.map((s) => [s.name, s.try.map((op) => op.type)]),
      [["create", ["script"]]],
    );
  });

  it("points template and YAML errors at the template, not the rendered text", () => {
    const syntax = errorsOf(() => load(project({ "000-a.yaml": `${POD}  x: {{ uuid | nope }}\n` })));
    assert.match(syntax[0] ?? "", /^templates\/000-a\.yaml:10:16: template: no filter named 'nope'/);
    // The YAML error is after a long rendered value ({{ annotations | tojson }} on line 7): the column is the template's.
    const yaml = errorsOf(() =>
      load(project({ "000-a.yaml": `a: {{ annotations | tojson }}\nb: [unclosed\n` })),
    );
    assert.match(yaml[0] ?? "", /^templates\/000-a\.yaml:2:/);
  });

  it("refuses a Python regex JavaScript cannot express, with what to write instead", () => {
    const tpl = `${POD}# VALIDATION\ntimeout_seconds: 1\ncheck_logs:\n  - name: p\n    namespace: n\n    regex: (?x) a b\n`;
    const [error] = errorsOf(() => load(project({ "000-a.yaml": tpl })));
    assert.match(
      error ?? "",
      /^templates\/000-a\.yaml:15:5: check_logs\[0\]\.regex: Python regex "\(\?x\) a b", at offset 0: verbose mode/,
    );
    assert.match(error ?? "", /write the pattern without \(\?x\)/);
  });

  it("refuses unknown configuration keys, and values beyond upstream's three keys unless fixed", () => {
    const config = `${CONFIG}extra: 1\n`.replace("  tolerations: []\n", "  tolerations: []\n  image: x\n");
    const errors = errorsOf(() => load(project({}, config)));
    assert.ok(
      errors.some((e) =>
        /^vktest_config\.yaml:8:3: values\.image: upstream vk-test-set accepts only/.test(e),
      ),
      errors.join("\n"),
    );
    assert.ok(
      errors.some((e) => /^vktest_config\.yaml:9:1: unknown field "extra"/.test(e)),
      errors.join("\n"),
    );
    const onlyValues = project(
      { "000-a.yaml": `${POD}  img: {{ image }}\n` },
      CONFIG.replace("  tolerations: []\n", "  tolerations: []\n  image: busybox\n"),
    );
    const fixed = load(onlyValues, true).find((t) => t.name.startsWith("test_manifest"))?.steps[0]
      ?.try[0] as {
      resources: { value: { spec: Record<string, unknown> } }[];
    };
    assert.equal(fixed.resources[0]?.value.spec.img, "busybox");
  });

  it("reads templates next to the configuration, and a configuration named by --config", () => {
    const dir = project({ "000-a.yaml": POD + VALIDATION }, CONFIG, ".");
    assert.equal(load(dir).filter((t) => t.name.startsWith("test_manifest")).length, 2);
    writeFileSync(join(dir, "other.yaml"), CONFIG.replace("[node-a, node-b]", "[node-c]"));
    const { suite } = loadProject([], { rootDir: dir, configPath: "other.yaml" });
    assert.deepEqual(
      suite.tests.filter((t) => t.name.startsWith("test_manifest")).map((t) => t.name),
      ["test_manifest[node-c-000-a.yaml]"],
    );
  });

  it("treats a check_pods or check_logs name ending in - as a prefix only with the fixes", () => {
    const tpl = `${POD}# VALIDATION\ntimeout_seconds: 1\ncheck_pods:\n  - name: job-\n    namespace: n\ncheck_logs:\n  - {name: job-, namespace: n, regex: x}\n`;
    const dir = project({ "000-a.yaml": tpl });
    const ops = (fixes: boolean) =>
      load(dir, fixes).find((t) => t.name.startsWith("test_manifest"))?.steps[1]?.try as [
        AssertPodPhaseOperation,
        AssertLogsOperation,
      ];
    const [pod, logs] = ops(false);
    assert.deepEqual(
      [pod.name, pod.namePrefix, pod.missing, logs.name, logs.namePrefix],
      ["job-", undefined, "fail", "job-", undefined],
    );
    const [fixedPod, fixedLogs] = ops(true);
    assert.deepEqual(
      [fixedPod.name, fixedPod.namePrefix, fixedPod.missing, fixedLogs.name, fixedLogs.namePrefix],
      [undefined, "job-", "wait", undefined, "job-"],
    );
  });
});
