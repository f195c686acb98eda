import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadConfigFile, loadConfigText } from "../../src/load/config.ts";
import { discover } from "../../src/load/discover.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import type { SetupCommand, SourceDocument, SuiteSetup } from "../../src/model/index.ts";
import { formatLocation } from "../../src/model/index.ts";
import { FIXTURES, fixture } from "./fixtures.ts";

function names(docs: readonly SourceDocument[]): string[] {
  return docs.map((d) => {
    const value = d.value as { kind: string; metadata: { name: string } };
    return `${value.kind} ${value.metadata.name} @${formatLocation(d.location)}`;
  });
}

/** A command as one line: what runs, and how long it may take. */
function command(c: SetupCommand): string {
  const op = c.operation;
  const what = op.type === "command" ? [op.entrypoint, ...op.args].join(" ") : `sh: ${op.content}`;
  const flags = [c.background ? "background" : "", op.continueOnError ? "continueOnError" : ""].filter(
    Boolean,
  );
  return `${what} | ${op.timeoutMs === undefined ? "no timeout" : `${op.timeoutMs}ms`}${flags.map((f) => ` | ${f}`).join("")} @${formatLocation(op.location)}`;
}

function loadErrors(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    if (err instanceof LoadErrors) return err.errors.map((e) => e.format());
    throw err;
  }
  assert.fail("expected LoadErrors");
}

describe("kuttl TestSuite set-up (crdDir, manifestDirs, commands)", () => {
  const tests = discover([fixture("kuttl-setup")], { rootDir: FIXTURES }).tests;

  it("is one object shared by every test of the suite", () => {
    assert.deepEqual(
      tests.map((t) => t.name),
      ["one", "two"],
    );
    assert.ok(tests[0]?.setup);
    assert.equal(tests[0].setup, tests[1]?.setup);
    assert.equal(formatLocation(tests[0].setup.location), "kuttl-setup/kuttl-test.yaml:1:1");
  });

  it("is the same object when a test case is named by itself", () => {
    const both = discover([fixture("kuttl-setup/tests/one"), fixture("kuttl-setup")], { rootDir: FIXTURES });
    assert.equal(both.tests.length, 2);
    assert.equal(both.tests[0]?.setup, both.tests[1]?.setup);
  });

  it("takes the CRDs of crdDir in kuttl's walk order, skipping other objects and files", () => {
    const setup = tests[0]?.setup as SuiteSetup;
    assert.deepEqual(names(setup.crds), [
      "CustomResourceDefinition as.example.test @kuttl-setup/crds/a.yml:1:1",
      "CustomResourceDefinition bs.example.test @kuttl-setup/crds/b.yaml:1:1",
      "CustomResourceDefinition cs.example.test @kuttl-setup/crds/nested/c.json:1:1",
    ]);
    assert.deepEqual(setup.notes, [
      "skipped ConfigMap not-a-crd (kuttl-setup/crds/a.yml:11:1): crdDir installs only CustomResourceDefinitions, as kuttl does",
    ]);
  });

  it("takes every object of each manifestDirs entry, in order (a file, a directory, an empty entry)", () => {
    const setup = tests[0]?.setup as SuiteSetup;
    assert.deepEqual(names(setup.manifests), [
      "ConfigMap z-first @kuttl-setup/base/a.yaml:1:1",
      "ConfigMap in-more @kuttl-setup/base/more/x.yaml:1:1",
      "ConfigMap b-last @kuttl-setup/base/z.yaml:1:1",
      "Service svc @kuttl-setup/extra/service.yaml:1:1",
    ]);
    assert.equal(setup.namespace, "default");
    assert.equal(setup.baseDir, fixture("kuttl-setup"));
    assert.equal(setup.establishTimeoutMs, 10_000);
    assert.equal(setup.applyTimeoutMs, 30_000);
  });

  it("runs commands with kuttl's timeouts: none by default (suite timeout 0), none when negative or background", () => {
    const setup = tests[0]?.setup as SuiteSetup;
    assert.deepEqual(setup.commands.map(command), [
      "make deploy | no timeout @kuttl-setup/kuttl-test.yaml:11:5",
      'sh: kubectl get pods --namespace "${NAMESPACE}" | 5000ms @kuttl-setup/kuttl-test.yaml:12:5',
      "sh: ./operator | no timeout | background @kuttl-setup/kuttl-test.yaml:15:5",
      "sh: ./wait.sh | no timeout | continueOnError @kuttl-setup/kuttl-test.yaml:18:5",
    ]);
  });

  it("a missing crdDir or manifestDirs entry, or a broken manifest, stops the load with its position", () => {
    assert.deepEqual(
      loadErrors(() => discover([fixture("kuttl-invalid/setup-missing")], { rootDir: FIXTURES })),
      [
        'kuttl-invalid/setup-missing/kuttl-test.yaml:5:1: crdDir: CRD directory "./no-crds" not found — expected a directory (or file) relative to kuttl-invalid/setup-missing/',
        'kuttl-invalid/setup-missing/kuttl-test.yaml:8:5: manifestDirs[1]: manifest directory "./no-manifests" not found — expected a directory (or file) relative to kuttl-invalid/setup-missing/',
        "kuttl-invalid/setup-missing/manifests/broken.yaml:1:1: resource has no apiVersion — expected a Kubernetes object with apiVersion and kind",
      ],
    );
  });
});

describe("kubeproof.yaml setup", () => {
  const config = loadConfigFile(fixture("config-setup/valid/kubeproof.yaml"), FIXTURES);

  it("reads crds and manifests (directories, globs, files) relative to the configuration", () => {
    const setup = config.setup as SuiteSetup;
    assert.equal(formatLocation(setup.location), "config-setup/valid/kubeproof.yaml:8:3");
    assert.deepEqual(names(setup.crds), [
      "CustomResourceDefinition bs.example.test @config-setup/valid/crds/b.yaml:1:1",
    ]);
    assert.deepEqual(names(setup.manifests), [
      "ConfigMap a @config-setup/valid/deploy/a.yaml:1:1",
      "ConfigMap b @config-setup/valid/deploy/b.yaml:1:1",
      "ConfigMap extra @config-setup/valid/deploy/extra.yml:1:1",
    ]);
    assert.equal(setup.baseDir, fixture("config-setup/valid"));
    assert.equal(setup.namespace, "default");
    // The configuration's apply and assert timeouts.
    assert.equal(setup.applyTimeoutMs, 20_000);
    assert.equal(setup.establishTimeoutMs, 40_000);
  });

  it("runs Chainsaw script and command operations, foreground ones under the exec timeout", () => {
    const setup = config.setup as SuiteSetup;
    assert.deepEqual(setup.commands.map(command), [
      "sh: make deploy | 15000ms @config-setup/valid/kubeproof.yaml:15:9",
      "kubectl get pods | 60000ms @config-setup/valid/kubeproof.yaml:17:9",
      "sh: ./operator | no timeout | background @config-setup/valid/kubeproof.yaml:23:9",
      "./might-fail | 15000ms | continueOnError @config-setup/valid/kubeproof.yaml:26:9",
    ]);
    assert.equal(setup.commands[1]?.operation.description, "list pods");
  });

  it("reports every mistake with its position", () => {
    assert.deepEqual(
      loadErrors(() => loadConfigFile(fixture("config-setup/invalid/kubeproof.yaml"), FIXTURES)),
      [
        "config-setup/invalid/kubeproof.yaml:9:11: spec.setup.commands[0].script.timeout: a background command has no timeout: it runs until the last test has ended; remove timeout, or background",
        "config-setup/invalid/kubeproof.yaml:10:9: spec.setup.commands[1]: a set-up command takes script or command, not both; split them into two entries",
        "config-setup/invalid/kubeproof.yaml:14:9: spec.setup.commands[2]: a set-up command needs script or command — expected script: {content: …} or command: {entrypoint: …}",
      ],
    );
  });

  it("checks the files once the schema holds: missing paths and objects that are not CRDs", () => {
    const dir = fixture("config-setup/invalid");
    const text = `apiVersion: kubeproof.dev/v1alpha1
kind: Configuration
spec:
  setup:
    crds: [crds, missing-crds]
    manifests: [nothing/*.yaml]
`;
    assert.deepEqual(
      loadErrors(() => loadConfigText(text, `${dir}/paths.yaml`, FIXTURES)),
      [
        "config-setup/invalid/crds/cm.yaml:2:1: ConfigMap not-a-crd is not a CustomResourceDefinition — expected apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition; put other objects in setup.manifests",
        'config-setup/invalid/paths.yaml:5:18: spec.setup.crds[1]: "missing-crds" not found — expected a file, directory or glob relative to config-setup/invalid/',
        'config-setup/invalid/paths.yaml:6:17: spec.setup.manifests[0]: no file matches "nothing/*.yaml" — expected a file, directory or glob relative to config-setup/invalid/',
      ],
    );
  });

  it("is a kubeproof extension: a Chainsaw configuration holding it says so", () => {
    assert.deepEqual(
      loadErrors(() => loadConfigFile(fixture("config-setup/chainsaw.yaml"), FIXTURES)),
      [
        'config-setup/chainsaw.yaml:4:3: spec.setup: "setup" is a kubeproof extension and is not part of Chainsaw\'s format; set apiVersion: kubeproof.dev/v1alpha1 to use kubeproof extensions',
      ],
    );
  });
});
