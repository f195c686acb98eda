import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GateCheck, GateConfig } from "../../src/gate/config.ts";
import type { GateEvent } from "../../src/model/gate-events.ts";
import { GateUsageError, runGate, type GateOptions } from "../../src/gate/gate.ts";
import { git, gitRepo, tempDir, writeFiles } from "./support.ts";

function check(name: string, run: string, extra: Partial<GateCheck> = {}): GateCheck {
  return { name, run, timeout: 20_000, ...extra };
}

function options(config: GateConfig, root: string, extra: Partial<GateOptions> = {}): GateOptions {
  return { config, root, isGitRepo: true, env: { ...process.env, NO_COLOR: "1" }, ...extra };
}

const CLUSTER_TIER = {
  name: "cluster",
  kind: "cluster" as const,
  image: "ci:1",
  repo: "https://example.com/app.git",
  namespace: "gates",
  deadline: 600_000,
  checks: [check("e2e", "make e2e")],
};

describe("runGate", () => {
  it("runs tiers in order and stops after the first that does not pass", async () => {
    const root = gitRepo({ "a.txt": "a\n" });
    const events: GateEvent[] = [];
    const result = await runGate(
      options(
        {
          tiers: [
            { name: "lint", checks: [check("ok", "true")] },
            { name: "unit", checks: [check("broken", "exit 2"), check("fine", "true")] },
            { name: "more", checks: [check("never", "touch never-ran")] },
            CLUSTER_TIER,
          ],
        },
        root,
        { onEvent: (e) => events.push(e) },
      ),
    );
    assert.equal(result.verdict, "FAIL");
    assert.equal(result.exitCode, 1);
    assert.deepEqual(
      result.feedback.tiers.map((t) => [t.name, t.status, t.checks, t.skipped]),
      [
        ["lint", "passed", 1, undefined],
        ["unit", "failed", 2, undefined],
        ["more", "skipped", 0, "tier unit did not pass"],
        ["cluster", "skipped", 0, "tier unit did not pass"],
      ],
    );
    assert.deepEqual(
      result.feedback.checks.map((c) => [c.tier, c.name, c.status]),
      [
        ["lint", "ok", "passed"],
        ["unit", "broken", "failed"],
        ["unit", "fine", "passed"],
      ],
    );
    assert.deepEqual(
      events.filter((e) => e.type.startsWith("tier")).map((e) => `${e.type} ${"tier" in e ? e.tier : ""}`),
      [
        "tier-begin lint",
        "tier-end lint",
        "tier-begin unit",
        "tier-end unit",
        "tier-skip more",
        "tier-skip cluster",
      ],
    );
  });

  it("maps verdicts to exit codes: PASS 0, TIMEOUT 3, ERROR 4", async () => {
    const root = tempDir();
    const run = (checks: GateCheck[]) =>
      runGate(options({ tiers: [{ name: "t", checks }] }, root, { isGitRepo: false }));
    assert.deepEqual(
      [await run([check("ok", "true")])].map((r) => [r.verdict, r.exitCode]),
      [["PASS", 0]],
    );
    const timeout = await run([check("slow", "sleep 30", { timeout: 200 }), check("ok", "true")]);
    assert.deepEqual([timeout.verdict, timeout.exitCode], ["TIMEOUT", 3]);
    const error = await run([check("crash", "kill -SEGV $$")]);
    assert.deepEqual([error.verdict, error.exitCode], ["ERROR", 4]);
    assert.equal(error.feedback.checks[0]?.error, "killed by SIGSEGV");
  });

  it("runs only the tiers asked for, and refuses unknown ones", async () => {
    const root = tempDir();
    const config: GateConfig = {
      tiers: [
        { name: "a", checks: [check("x", "exit 1")] },
        { name: "b", checks: [check("y", "true")] },
      ],
    };
    const result = await runGate(options(config, root, { only: ["b"], isGitRepo: false }));
    assert.equal(result.verdict, "PASS");
    assert.deepEqual(
      result.feedback.tiers.map((t) => [t.name, t.status, t.skipped]),
      [
        ["a", "skipped", "not selected (--tier)"],
        ["b", "passed", undefined],
      ],
    );
    await assert.rejects(runGate(options(config, root, { only: ["c"] })), (e: unknown) => {
      return e instanceof GateUsageError && e.message === "--tier c: no such tier (tiers: a, b)";
    });
  });

  it("skips checks by paths against --base, and refuses a base git does not know", async () => {
    const root = gitRepo({ "src/a.ts": "a\n", "docs/x.md": "x\n" });
    git(root, "checkout", "-q", "-b", "change");
    writeFiles(root, { "docs/x.md": "changed\n" });
    const config: GateConfig = {
      tiers: [
        {
          name: "fast",
          checks: [
            check("unit", "true", { paths: ["src/**"] }),
            check("docs", "true", { paths: ["**/*.md"] }),
          ],
        },
      ],
    };
    const result = await runGate(options(config, root, { base: "main" }));
    assert.deepEqual(
      result.feedback.checks.map((c) => [c.name, c.status, c.skipped]),
      [
        ["unit", "skipped", "no changed file matches src/** (against main)"],
        ["docs", "passed", undefined],
      ],
    );
    await assert.rejects(runGate(options(config, root, { base: "nope" })), GateUsageError);
    await assert.rejects(
      runGate(options(config, tempDir(), { base: "main", isGitRepo: false })),
      /--base needs a git repository/,
    );
  });

  it("masks the values of a tier's secrets everywhere in the feedback", async () => {
    const root = tempDir();
    const secret = "tok-9f8e7d6c5b4a";
    const result = await runGate(
      options(
        {
          tiers: [
            {
              name: "fast",
              secrets: ["API_TOKEN"],
              checks: [check("leaky", 'echo "using $API_TOKEN"; exit 1')],
            },
          ],
        },
        root,
        { env: { ...process.env, API_TOKEN: secret }, isGitRepo: false },
      ),
    );
    const json = JSON.stringify(result.feedback);
    assert.ok(!json.includes(secret));
    assert.equal(result.feedback.checks[0]?.logExcerpt, "using ***\n");
  });

  it("a cluster tier without a cluster or a commit is an ERROR, never a PASS", async () => {
    const noGit = await runGate(options({ tiers: [CLUSTER_TIER] }, tempDir(), { isGitRepo: false }));
    assert.equal(noGit.verdict, "ERROR");
    assert.match(noGit.feedback.checks[0]?.error ?? "", /is not a git repository/);
    const noCluster = await runGate(
      options({ tiers: [CLUSTER_TIER] }, gitRepo({ "a.txt": "a\n" }), {
        cluster: () => Promise.reject(new Error("no kubeconfig found")),
      }),
    );
    assert.equal(noCluster.verdict, "ERROR");
    assert.equal(noCluster.exitCode, 4);
    assert.equal(noCluster.feedback.checks[0]?.error, "cannot reach the cluster: no kubeconfig found");
  });
});
