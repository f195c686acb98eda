import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { feedbackDocumentSchema } from "../../src/gate/feedback/index.ts";
import { normalize, runCli } from "../support/cli.ts";
import { gitRepo } from "./support.ts";

function repoWith(gate: string): string {
  return gitRepo({ "kubeproof.yaml": gate, "src/a.txt": "a\n" });
}

const { NODE_TEST_CONTEXT: _, ...env } = process.env;

describe("kubeproof gate (CLI)", () => {
  it("FAIL: exit 1, feedback files, and the same content on the terminal", async () => {
    const root = repoWith(`gate:
  tiers:
    - name: fast
      checks:
        - name: lint
          run: "true"
          timeout: 10s
        - name: build
          run: "echo compiling; echo './main.go:3:5: undefined: x' >&2; exit 2"
          timeout: 10s
    - name: cluster
      kind: cluster
      image: ci:1
      repo: https://example.com/app.git
      namespace: gates
      deadline: 10m
      checks:
        - { name: e2e, run: make e2e, timeout: 1m }
`);
    const { code, stdout, stderr } = await runCli(
      ["gate", "--feedback", "out/feedback.json", "--feedback-md", "out/feedback.md"],
      { cwd: root, env: { ...env, NO_COLOR: "1" } },
    );
    assert.equal(code, 1, stderr);
    const doc: unknown = JSON.parse(readFileSync(join(root, "out/feedback.json"), "utf8"));
    const parsed = feedbackDocumentSchema.parse(doc);
    assert.equal(parsed.verdict, "FAIL");
    assert.deepEqual(parsed.checks[1]?.firstBuildError, {
      file: "main.go",
      line: 3,
      col: 5,
      message: "undefined: x",
      tool: "go",
    });
    const md = readFileSync(join(root, "out/feedback.md"), "utf8");
    assert.match(md, /^# kubeproof gate: FAIL\n\n1 of 2 checks did not pass\n/);
    assert.match(md, /Tiers: fast ✗ failed \(2 checks, .*\) · cluster – skipped: tier fast did not pass/);
    assert.match(md, /\*\*First build error\*\* \(go\) at `main\.go:3:5`: undefined: x/);
    assert.equal(
      normalize(stdout),
      [
        "kubeproof gate: FAIL — 1 of 2 checks did not pass",
        "",
        "✗ fast / build — failed (exit 2, <t>)",
        "  command: echo compiling; echo './main.go:3:5: undefined: x' >&2; exit 2",
        "  first build error (go) main.go:3:5: undefined: x",
        "  log:",
        "    │ compiling",
        "    │ ./main.go:3:5: undefined: x",
        "",
        "feedback written to out/feedback.json, out/feedback.md",
        "",
      ].join("\n"),
    );
    // Checks run concurrently: they finish in either order.
    const progress = normalize(stderr);
    assert.match(progress, /^▶ tier fast \(local, 2 checks\)\n/);
    assert.match(progress, /\n {2}✓ fast\/lint passed <t>\n/);
    assert.match(progress, /\n {2}✗ fast\/build failed \(exit 2\) <t>\n/);
    assert.match(progress, /\n✗ tier fast failed in <t>\n/);
    assert.match(stderr, /– tier cluster skipped: tier fast did not pass/);
  });

  it("PASS exits 0, TIMEOUT exits 3", async () => {
    const root = repoWith(`gate:
  tiers:
    - name: fast
      checks:
        - { name: ok, run: "true", timeout: 5s }
    - name: slow
      checks:
        - { name: sleepy, run: "sleep 20", timeout: 300ms }
`);
    const pass = await runCli(["gate", "--tier", "fast"], { cwd: root, env });
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(normalize(pass.stdout), /^kubeproof gate: PASS — 1 of 1 checks passed\n$/);
    const timeout = await runCli(["gate", "--tier", "slow", "--feedback", "f.json"], { cwd: root, env });
    assert.equal(timeout.code, 3, timeout.stderr);
    const doc = feedbackDocumentSchema.parse(JSON.parse(readFileSync(join(root, "f.json"), "utf8")));
    assert.equal(doc.verdict, "TIMEOUT");
    assert.equal(doc.checks.find((c) => c.name === "sleepy")?.timedOut, true);
  });

  it("configuration and usage errors exit 2 with file:line:col and run nothing", async () => {
    const root = repoWith(`gate:
  tiers:
    - name: fast
      checks:
        - { name: x, run: "touch ran", timeout: soon }
`);
    const bad = await runCli(["gate"], { cwd: root, env });
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr,
      'error: kubeproof.yaml:5:40: gate.tiers[0].checks[0].timeout: invalid duration "soon" — expected a duration such as 30s, 1m30s or 500ms\n',
    );
    assert.equal(existsSync(join(root, "ran")), false);
    const good = repoWith(
      "gate:\n  tiers:\n    - name: fast\n      checks:\n        - { name: x, run: 'true', timeout: 1s }\n",
    );
    const tier = await runCli(["gate", "--tier", "nope"], { cwd: good, env });
    assert.equal(tier.code, 2);
    assert.equal(tier.stderr, "error: --tier nope: no such tier (tiers: fast)\n");
    const base = await runCli(["gate", "--base", "no-such-ref"], { cwd: good, env });
    assert.equal(base.code, 2);
    assert.match(base.stderr, /^error: --base no-such-ref: no such commit in /);
    const jobs = await runCli(["gate", "--jobs", "0"], { cwd: good, env });
    assert.equal(jobs.code, 2);
  });

  it("a cluster tier that cannot reach its cluster is ERROR (exit 4)", async () => {
    const root = repoWith(`gate:
  tiers:
    - name: cluster
      kind: cluster
      image: ci:1
      repo: https://example.com/app.git
      namespace: gates
      deadline: 10m
      checks:
        - { name: e2e, run: make e2e, timeout: 1m }
`);
    const { code, stdout, stderr } = await runCli(
      ["gate", "--kubeconfig", join(root, "missing-kubeconfig")],
      {
        cwd: root,
        env,
      },
    );
    assert.equal(code, 4, stderr);
    assert.match(stdout, /^kubeproof gate: ERROR — 1 of 1 checks did not pass\n/);
    assert.match(stdout, /error: cannot reach the cluster: cannot read kubeconfig .*missing-kubeconfig/);
  });
});
