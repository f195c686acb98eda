import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { actionlint } from "../support/actionlint.ts";
import { commandAvailable } from "../support/commands.ts";
import { runCli } from "../support/cli.ts";
import { gitRepo, tempDir } from "../gate/support.ts";

const golden = fileURLToPath(new URL("../fixtures/ci/", import.meta.url));
const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
const workflow = ".github/workflows/e2e.yml";

/** The written workflow against its golden file, kubeproof's version as `<version>` (UPDATE_GOLDEN=1 rewrites it). */
function assertGolden(text: string, name: string): void {
  const normalized = text.replaceAll(version, "<version>");
  const file = join(golden, name);
  if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, normalized);
  assert.equal(normalized, readFileSync(file, "utf8"));
}

const lint = commandAvailable("go", ["version"]) ? actionlint() : undefined;

function assertActionlintPasses(t: TestContext, root: string): void {
  if (!lint) {
    // CI has Go: there a missing actionlint is a failure, not a quiet pass.
    assert.notEqual(
      process.env.KUBEPROOF_REQUIRE_CLUSTER,
      "1",
      "actionlint could not be built from Go modules",
    );
    t.diagnostic("actionlint not checked: no go on PATH to build it");
    return;
  }
  // Exits non-zero with one line per problem, which is then the message.
  const result = spawnSync(lint, ["-no-color", workflow], { cwd: root, encoding: "utf8" });
  assert.equal(result.status, 0, `actionlint: ${result.stdout}${result.stderr}`);
}

describe("kubeproof ci init", () => {
  it("writes the default workflow: label run-e2e, nightly, manual, global install; actionlint passes", async (t) => {
    const root = gitRepo({ "e2e/chainsaw-test.yaml": "" });
    const result = await runCli(["ci", "init"], { cwd: root });
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^wrote \.github\/workflows\/e2e\.yml: label "run-e2e", nightly "0 3 \* \* \*", suite e2e\n/,
    );
    assertGolden(readFileSync(join(root, workflow), "utf8"), "e2e-default.yml");
    assertActionlintPasses(t, root);
  });

  it("takes the label, the cron, the suite and non-blocking; an npm project's own kubeproof is used", async (t) => {
    const root = gitRepo({
      "package.json": JSON.stringify({ name: "op", devDependencies: { kubeproof: "^0.1.0" } }),
      "test/e2e suites/a.yaml": "",
    });
    const result = await runCli(
      [
        "ci",
        "init",
        "--label",
        "e2e: please",
        "--cron",
        "30 2  * * 1-5",
        "--suite",
        "test/e2e suites",
        "--no-blocking",
      ],
      { cwd: join(root, "test") },
    );
    assert.equal(result.code, 0, result.stderr);
    assertGolden(readFileSync(join(root, workflow), "utf8"), "e2e-options.yml");
    assertActionlintPasses(t, root);
  });

  it("refuses to overwrite an existing workflow without --force", async () => {
    const root = gitRepo({ "e2e/a.yaml": "", [workflow]: "name: mine\n" });
    const refused = await runCli(["ci", "init"], { cwd: root });
    assert.equal(refused.code, 2);
    assert.equal(
      refused.stderr,
      "error: .github/workflows/e2e.yml exists; pass --force to overwrite it, or --output FILE to write another\n",
    );
    assert.equal(readFileSync(join(root, workflow), "utf8"), "name: mine\n");
    const forced = await runCli(["ci", "init", "--force"], { cwd: root });
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(readFileSync(join(root, workflow), "utf8"), /^# Written by `kubeproof ci init`/);
  });

  for (const [args, message] of [
    [["--cron", "0 3 * *"], /--cron "0 3 \* \*" has 4 field\(s\); GitHub's schedule takes 5/],
    [["--cron", "0 3 * * ?"], /--cron "0 3 \* \* \?" field "\?" is not a cron field/],
    [["--label", " "], /--label " " is empty/],
    [["--suite", "missing"], /--suite missing: no such file or directory in /],
  ] as const) {
    it(`refuses ${args.join(" ")} with a reason and writes nothing`, async () => {
      const root = gitRepo({ "e2e/a.yaml": "" });
      const result = await runCli(["ci", "init", ...args], { cwd: root });
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
      assert.equal(existsSync(join(root, workflow)), false);
    });
  }

  it("outside a git repository says where to run it", async () => {
    const dir = tempDir("kp-ci-");
    const result = await runCli(["ci", "init"], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /is not in a git repository; run `kubeproof ci init` in your repository's checkout/,
    );
  });
});
