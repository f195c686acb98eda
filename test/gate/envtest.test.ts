import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { commandAvailable } from "../support/commands.ts";
import { runCli } from "../support/cli.ts";
import { gitRepo } from "./support.ts";

const { NODE_TEST_CONTEXT: _, KUBEBUILDER_ASSETS: _assets, ...env } = process.env;
const fixture = fileURLToPath(new URL("../fixtures/envtest/", import.meta.url));

describe("KUBEBUILDER_ASSETS in gate checks", () => {
  it("is set for every check to kubeproof env's directory, unless the check sets it", async () => {
    const root = gitRepo({
      "kubeproof.yaml": `gate:
  tiers:
    - name: fast
      checks:
        - { name: plain, run: 'printf %s "$KUBEBUILDER_ASSETS" > plain.txt', timeout: 10s }
        - name: own
          run: 'printf %s "$KUBEBUILDER_ASSETS" > own.txt'
          timeout: 10s
          env: { KUBEBUILDER_ASSETS: /opt/own-assets }
`,
    });
    const gate = await runCli(["gate"], { cwd: root, env });
    assert.equal(gate.code, 0, gate.stdout + gate.stderr);
    const printed = await runCli(["env"], { env });
    assert.equal(printed.code, 0, printed.stderr);
    const dir = /^KUBEBUILDER_ASSETS=(.+)\n$/.exec(printed.stdout)?.[1];
    assert.ok(dir, printed.stdout);
    assert.equal(readFileSync(join(root, "plain.txt"), "utf8"), dir);
    assert.equal(readFileSync(join(root, "own.txt"), "utf8"), "/opt/own-assets");
    // setup-envtest's layout: <root>/k8s/<version>-<os>-<arch>/ with the three binaries.
    assert.match(dir, /\/k8s\/\d+\.\d+\.\d+-linux-(amd64|arm64)$/);
    assert.deepEqual(readdirSync(dir).sort(), ["etcd", "kube-apiserver", "kubectl"]);
  });

  it("kubeproof env --shell prints an export line a shell can eval", async () => {
    const printed = await runCli(["env", "--shell"], { env });
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^export KUBEBUILDER_ASSETS=\S+\/k8s\/[\w.-]+\n$/);
  });

  it(
    "lets a Go module's controller-runtime envtest start and stop a control plane from `go test` in a check",
    { skip: !commandAvailable("go", ["version"]) && "no go on PATH", timeout: 30 * 60_000 },
    async () => {
      assert.ok(existsSync(join(fixture, "go.sum")), "the fixture's go.sum is committed");
      const root = gitRepo({
        "kubeproof.yaml": `gate:
  tiers:
    - name: unit
      checks:
        - name: envtest
          # A cold ~/go downloads controller-runtime through the Go module proxy and compiles it.
          run: cd '${fixture}' && GOTOOLCHAIN=local GOFLAGS=-mod=readonly go test -count=1 -v ./...
          timeout: 25m
`,
      });
      const gate = await runCli(["gate", "--feedback", "feedback.json"], { cwd: root, env });
      const feedback = readFileSync(join(root, "feedback.json"), "utf8");
      assert.equal(gate.code, 0, gate.stdout + gate.stderr + feedback);
      assert.match(gate.stdout, /PASS/);
    },
  );
});
