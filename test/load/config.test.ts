import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { defaultConfig } from "../../src/config/config-schema.ts";
import { findConfigFile, loadConfig, loadConfigFile, loadConfigText } from "../../src/load/config.ts";
import { LoadErrors } from "../../src/source/diagnostics.ts";
import { FIXTURES, fixture } from "./fixtures.ts";

function errorsOf(rel: string): string[] {
  try {
    loadConfigFile(fixture(rel), FIXTURES);
  } catch (err) {
    if (err instanceof LoadErrors) return err.errors.map((e) => e.format());
    throw err;
  }
  assert.fail("expected LoadErrors");
}

describe("loadConfigFile", () => {
  it("reads the kubeproof layout with every section", () => {
    const config = loadConfigFile(fixture("config/kubeproof/kubeproof.yaml"), FIXTURES);
    assert.equal(config.file, "config/kubeproof/kubeproof.yaml");
    assert.equal(config.apiVersion, "kubeproof.dev/v1alpha1");
    assert.deepEqual(config.timeouts, {
      apply: 45_000,
      assert: 60_000,
      cleanup: 60_000,
      delete: 30_000,
      error: 30_000,
      exec: 120_000,
    });
    assert.deepEqual(config.execution, {
      parallel: 4,
      failFast: true,
      repeatCount: 2,
      forceTerminationGracePeriodMs: 5000,
    });
    assert.equal(config.namespace.name, "e2e");
    assert.deepEqual(config.namespace.template?.value, { metadata: { labels: { team: "platform" } } });
    assert.deepEqual(config.namespace.template?.location, {
      file: "config/kubeproof/kubeproof.yaml",
      line: 16,
      col: 5,
    });
    assert.deepEqual(config.cleanup, { skipDelete: true, delayBeforeCleanupMs: 3000 });
    assert.deepEqual(config.deletion, { propagation: "Foreground" });
    assert.deepEqual(config.discovery, {
      testFile: "e2e-test",
      includeTestRegex: "^smoke-",
      excludeTestRegex: "slow",
      fullName: true,
    });
    assert.deepEqual(config.report, {
      formats: ["junit", "json"],
      path: "reports",
      name: "results",
      junitLevel: "step",
    });
    assert.deepEqual(config.templating, { enabled: false });
    assert.deepEqual(
      config.catch.map((o) => [o.type, o.location.line, o.template]),
      [
        ["events", 39, false],
        ["podLogs", 40, false],
      ],
    );
    assert.deepEqual(config.values, { env: "staging", replicas: 3 });
    assert.deepEqual(config.gate, { tiers: ["local", "job"] });
  });

  it("reads Chainsaw's grouped v1alpha2 layout (the documented example)", () => {
    const config = loadConfigFile(fixture("config/chainsaw-v1alpha2/.chainsaw.yaml"), FIXTURES);
    assert.equal(config.apiVersion, "chainsaw.kyverno.io/v1alpha2");
    assert.deepEqual(config.timeouts, {
      apply: 45_000,
      assert: 20_000,
      cleanup: 45_000,
      delete: 25_000,
      error: 10_000,
      exec: 45_000,
    });
    assert.deepEqual(config.execution, { parallel: 4, failFast: true, repeatCount: 1 });
    assert.deepEqual(config.cleanup, { skipDelete: false, delayBeforeCleanupMs: 5000 });
    assert.deepEqual(config.deletion, { propagation: "Orphan" });
    assert.equal(config.discovery.excludeTestRegex, "^skip");
    assert.deepEqual(config.report, {
      formats: ["junit"],
      path: "out",
      name: "chainsaw-report",
      junitLevel: "operation",
    });
    assert.deepEqual(config.namespace, { name: "chainsaw" });
    assert.deepEqual(
      config.catch.map((o) => o.type),
      ["describe"],
    );
  });

  it("reads Chainsaw's flat v1alpha1 layout", () => {
    const config = loadConfigFile(fixture("config/chainsaw-v1alpha1/.chainsaw.yaml"), FIXTURES);
    assert.equal(config.apiVersion, "chainsaw.kyverno.io/v1alpha1");
    assert.equal(config.timeouts.assert, 20_000);
    assert.deepEqual(config.execution, { parallel: 4, failFast: true, repeatCount: 1 });
    assert.deepEqual(config.report, { formats: ["json"], name: "my-report", junitLevel: "test" });
    assert.equal(config.discovery.testFile, "my-test");
    assert.deepEqual(config.cleanup, { skipDelete: false, delayBeforeCleanupMs: 1000 });
    assert.deepEqual(config.namespace.template?.value, { metadata: { annotations: { owner: "e2e" } } });
    assert.deepEqual(
      config.catch.map((o) => o.type),
      ["events"],
    );
  });

  const invalid: [string, string[]][] = [
    [
      "config/invalid/unknown-field.yaml",
      [
        'config/invalid/unknown-field.yaml:5:5: spec.timeouts: unknown field "aply" — expected one of apply, assert, cleanup, delete, error, exec; did you mean "apply"?',
        'config/invalid/unknown-field.yaml:7:5: spec.execution: unknown field "paralel" — expected one of failFast, parallel, repeatCount, forceTerminationGracePeriod; did you mean "parallel"?',
        'config/invalid/unknown-field.yaml:9:5: spec.report.format: invalid value "xml" — expected json, junit, html (one or a list)',
      ],
    ],
    [
      "config/invalid/flat-in-v1alpha2.yaml",
      [
        'config/invalid/flat-in-v1alpha2.yaml:4:3: spec.parallel: "parallel" is not a top-level field in chainsaw.kyverno.io/v1alpha2; move it to spec.execution.parallel',
        "config/invalid/flat-in-v1alpha2.yaml:6:5: spec.execution.parallel: invalid value 0 — expected a whole number of at least 1",
        'config/invalid/flat-in-v1alpha2.yaml:7:5: spec.execution.failFast: invalid value "yes" — expected true or false',
      ],
    ],
    [
      "config/invalid/bad-values.yaml",
      [
        'config/invalid/bad-values.yaml:5:5: spec.discovery.includeTestRegex: invalid regular expression "(unclosed" (Unterminated group)',
        'config/invalid/bad-values.yaml:7:5: spec.cleanup.delayBeforeCleanup: invalid duration "soon" — expected a duration such as 30s, 1m30s or 500ms',
        'config/invalid/bad-values.yaml:10:7: spec.error.catch[0]: unknown field "apply" — expected one of command, delete, describe, events, exec, get, podLogs, script, sleep, wait, …; catch runs only collectors and clean-up operations; move apply to try',
      ],
    ],
    [
      "config/invalid/wrong-kind.yaml",
      ['config/invalid/wrong-kind.yaml:2:1: unexpected kind "Test" — expected kind: Configuration'],
    ],
    [
      "config/invalid/two-docs.yaml",
      ["config/invalid/two-docs.yaml:4:1: a configuration file holds exactly one document"],
    ],
  ];
  for (const [rel, expected] of invalid) {
    it(`rejects ${rel}`, () => {
      assert.deepEqual(errorsOf(rel), expected);
    });
  }

  it("reports a missing explicit file", () => {
    assert.throws(
      () => loadConfig({ configPath: fixture("config/nope.yaml"), rootDir: FIXTURES }),
      (err: unknown) =>
        err instanceof LoadErrors && err.message.startsWith("config/nope.yaml: cannot read configuration"),
    );
  });
});

describe("findConfigFile and loadConfig", () => {
  it("prefers kubeproof.yaml over .chainsaw.yaml", () => {
    assert.equal(findConfigFile(fixture("config/both")), fixture("config/both/kubeproof.yaml"));
    assert.equal(loadConfig({ startDir: fixture("config/both"), rootDir: FIXTURES }).execution.parallel, 2);
  });

  it("finds .chainsaw.yaml when it is the only file", () => {
    assert.equal(
      findConfigFile(fixture("config/chainsaw-v1alpha2")),
      fixture("config/chainsaw-v1alpha2/.chainsaw.yaml"),
    );
  });

  it("looks in parent directories", () => {
    assert.equal(findConfigFile(fixture("config/nested/sub/dir")), fixture("config/nested/kubeproof.yaml"));
  });

  it("loads an explicit path", () => {
    const config = loadConfig({ configPath: fixture("config/both/.chainsaw.yaml"), rootDir: FIXTURES });
    assert.equal(config.execution.parallel, 8);
    assert.equal(config.file, "config/both/.chainsaw.yaml");
  });

  describe("outside any project", () => {
    const dir = mkdtempSync(join(tmpdir(), "kubeproof-config-"));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it("falls back to the defaults", () => {
      const config = loadConfig({ startDir: dir, rootDir: dir });
      const defaults = defaultConfig();
      assert.equal(config.file, undefined);
      assert.deepEqual(config.timeouts, defaults.timeouts);
      assert.deepEqual(config.report, defaults.report);
    });

    it("stops at the repository root", () => {
      mkdirSync(join(dir, "repo", ".git"), { recursive: true });
      mkdirSync(join(dir, "repo", "sub"), { recursive: true });
      writeFileSync(join(dir, "kubeproof.yaml"), "apiVersion: kubeproof.dev/v1alpha1\nkind: Configuration\n");
      assert.equal(findConfigFile(join(dir, "repo", "sub")), undefined);
      assert.equal(findConfigFile(dir), join(dir, "kubeproof.yaml"));
    });
  });
});

describe("cluster.realNodes", () => {
  const header = "apiVersion: kubeproof.dev/v1alpha1\nkind: Configuration\nspec:\n";
  it("asks the embedded local cluster for real nodes (default none)", () => {
    const file = fixture("inline/kubeproof.yaml");
    assert.deepEqual(loadConfigText(`${header}  values: {}\n`, file, FIXTURES).cluster, { realNodes: 0 });
    const config = loadConfigText(`${header}  cluster:\n    realNodes: 2\n`, file, FIXTURES);
    assert.deepEqual(config.cluster, { realNodes: 2 });
  });
  it("rejects a count past 4 with its location", () => {
    const file = fixture("inline/kubeproof.yaml");
    assert.throws(
      () => loadConfigText(`${header}  cluster:\n    realNodes: 5\n`, file, FIXTURES),
      (error: unknown) =>
        error instanceof LoadErrors &&
        /kubeproof\.yaml:5:5: spec\.cluster\.realNodes: .*0 to 4/.test(error.message),
    );
  });
});

describe("metadata", () => {
  it("accepts the full ObjectMeta, as Chainsaw's own v1alpha2 configuration writes it", () => {
    const text =
      "apiVersion: chainsaw.kyverno.io/v1alpha2\nkind: Configuration\nmetadata:\n  creationTimestamp: null\n  name: configuration\nspec:\n  execution:\n    parallel: 1\n";
    assert.equal(loadConfigText(text, fixture("inline/.chainsaw.yaml"), FIXTURES).execution.parallel, 1);
  });
});

describe("clusters", () => {
  it("resolves kubeconfig paths from the working directory, in both Chainsaw layouts", () => {
    const file = fixture("inline/.chainsaw.yaml");
    for (const apiVersion of ["chainsaw.kyverno.io/v1alpha1", "chainsaw.kyverno.io/v1alpha2"]) {
      const text = `apiVersion: ${apiVersion}\nkind: Configuration\nspec:\n  clusters:\n    other:\n      kubeconfig: kube/other.yaml\n      context: ctx\n`;
      assert.deepEqual(loadConfigText(text, file, "/work/dir").clusters, {
        other: { kubeconfig: "/work/dir/kube/other.yaml", context: "ctx" },
      });
    }
  });
  it("rejects an entry without a kubeconfig, with its location", () => {
    const text =
      "apiVersion: chainsaw.kyverno.io/v1alpha2\nkind: Configuration\nspec:\n  clusters:\n    other:\n      context: ctx\n";
    assert.throws(
      () => loadConfigText(text, fixture("inline/.chainsaw.yaml"), FIXTURES),
      (error: unknown) =>
        error instanceof LoadErrors &&
        /\.chainsaw\.yaml:5:5: spec\.clusters\.other: missing required field "kubeconfig"/.test(
          error.message,
        ),
    );
  });
});

describe("docs/configuration.md", () => {
  it("shows a kubeproof.yaml that loads", () => {
    const doc = readFileSync(new URL("../../docs/configuration.md", import.meta.url), "utf8");
    const example = /```yaml\n(apiVersion: kubeproof\.dev\/v1alpha1\n[\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example !== undefined);
    const config = loadConfigText(example, fixture("docs/kubeproof.yaml"), FIXTURES);
    assert.deepEqual(config.timeouts, defaultConfig().timeouts, "the example shows the default timeouts");
    assert.deepEqual(config.report.formats, ["junit", "json"]);
    // Its setup names files of test/fixtures/load/docs/.
    assert.deepEqual(
      [
        config.setup?.crds.length,
        config.setup?.manifests.length,
        config.setup?.commands.map((c) => c.background),
      ],
      [1, 1, [false, true]],
    );
  });
});
