import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CLONE_SCRIPT, RUNNER_SCRIPT } from "../../../src/gate/job/scripts.ts";
import { parseSummary, splitLog } from "../../../src/gate/job/summary.ts";
import { waitUntil } from "../../support/wait.ts";
import { git, gitRepo, tempDir } from "../support.ts";

/**
 * The pod's scripts run here for real, under dash (Debian's sh, as strict as busybox ash) and bash:
 * what the Job would do, minus the cluster.
 */

interface Run {
  dir: string;
  code: number | null;
  stdout: string;
  stderr: string;
  result: string;
}

function runScript(
  shell: string,
  script: string,
  env: Record<string, string>,
  options: { killAfter?: (dir: string) => Promise<unknown> } = {},
): Promise<Run> {
  const dir = tempDir("kp-script-");
  const result = join(dir, "result");
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ["-c", script], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        TMPDIR: dir,
        KUBEPROOF_RESULT_FILE: result,
        KUBEPROOF_WORKDIR: dir,
        ...env,
      },
      cwd: dir,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ dir, code, stdout, stderr, result: existsSync(result) ? readFileSync(result, "utf8") : "" }),
    );
    if (options.killAfter) void options.killAfter(dir).then(() => child.kill("SIGTERM"));
  });
}

function checksEnv(
  checks: { name: string; run: string; timeout: number; env?: Record<string, string> }[],
): Record<string, string> {
  const env: Record<string, string> = {
    KUBEPROOF_CHECK_COUNT: String(checks.length),
    KUBEPROOF_KILL_GRACE: "1",
  };
  checks.forEach((c, i) => {
    env[`KUBEPROOF_CHECK_${i}_NAME`] = c.name;
    env[`KUBEPROOF_CHECK_${i}_RUN`] = c.run;
    env[`KUBEPROOF_CHECK_${i}_TIMEOUT`] = String(c.timeout);
    const vars = Object.entries(c.env ?? {});
    env[`KUBEPROOF_CHECK_${i}_ENV_COUNT`] = String(vars.length);
    vars.forEach(([k, v], j) => {
      env[`KUBEPROOF_CHECK_${i}_ENV_${j}_NAME`] = k;
      env[`KUBEPROOF_CHECK_${i}_ENV_${j}_VALUE`] = v;
    });
  });
  return env;
}

/** Seconds depend on the machine; the rest of the summary must not. */
function withoutSeconds(summary: string): unknown {
  const parsed = parseSummary(summary);
  assert.ok(parsed, `not a summary: ${summary}`);
  return { ...parsed, checks: parsed.checks.map(({ seconds: _, ...rest }) => rest) };
}

for (const shell of ["dash", "bash"]) {
  describe(`the runner script (${shell})`, () => {
    it("runs every check in order, each with its own environment, and reports each in the summary", async () => {
      const run = await runScript(
        shell,
        RUNNER_SCRIPT,
        checksEnv([
          {
            name: "ok",
            run: 'echo "hello $GREETING"',
            timeout: 30,
            env: { GREETING: `$(touch pwned) "q" \\ 'x'` },
          },
          {
            name: "bad",
            run: "echo 'some output'; echo 'Error: \"quoted\" \\ back' >&2; exit 3",
            timeout: 30,
          },
          { name: "after", run: 'echo still runs; [ -z "$GREETING" ]', timeout: 30 },
        ]),
      );
      assert.equal(run.code, 1, run.stderr);
      assert.deepEqual(withoutSeconds(run.result), {
        v: 1,
        checks: [
          { name: "ok", exitCode: 0, timedOut: false, error: "" },
          { name: "bad", exitCode: 3, timedOut: false, error: 'Error: "quoted" \\ back' },
          { name: "after", exitCode: 0, timedOut: false, error: "" },
        ],
      });
      assert.equal(existsSync(join(run.dir, "pwned")), false);
      const log = splitLog(run.stdout);
      assert.deepEqual(
        [...log.checks.entries()],
        [
          [0, `hello $(touch pwned) "q" \\ 'x'`],
          [1, 'some output\nError: "quoted" \\ back'],
          [2, "still runs"],
        ],
      );
      assert.deepEqual([...log.ended], [0, 1, 2]);
    });

    it("stops a check at its timeout, with its whole process group, and goes on", async () => {
      const run = await runScript(
        shell,
        RUNNER_SCRIPT,
        checksEnv([
          { name: "slow", run: "echo working; sleep 300 & echo $! > child.pid; sleep 300", timeout: 1 },
          { name: "stubborn", run: "trap '' TERM; echo start; while :; do sleep 1; done", timeout: 1 },
          { name: "next", run: "echo next", timeout: 30 },
        ]),
      );
      assert.equal(run.code, 1);
      assert.deepEqual(withoutSeconds(run.result), {
        v: 1,
        checks: [
          { name: "slow", exitCode: 143, timedOut: true, error: "working" },
          { name: "stubborn", exitCode: 137, timedOut: true, error: "start" },
          { name: "next", exitCode: 0, timedOut: false, error: "" },
        ],
      });
      assert.equal(splitLog(run.stdout).checks.get(2), "next");
    });

    it("on SIGTERM (the Job's deadline) reports what finished and the check it stopped", async () => {
      const run = await runScript(
        shell,
        RUNNER_SCRIPT,
        checksEnv([
          { name: "quick", run: "echo quick", timeout: 30 },
          { name: "long", run: "echo working; touch long.started; sleep 300", timeout: 300 },
          { name: "never", run: "echo never", timeout: 30 },
        ]),
        {
          killAfter: (dir) =>
            waitUntil("the long check to start", () =>
              Promise.resolve(existsSync(join(dir, "long.started"))),
            ),
        },
      );
      assert.equal(run.code, 143);
      assert.deepEqual(withoutSeconds(run.result), {
        v: 1,
        checks: [
          { name: "quick", exitCode: 0, timedOut: false, error: "" },
          { name: "long", exitCode: 143, timedOut: true, error: "working" },
        ],
      });
      assert.ok(!run.stdout.includes("never"));
    });

    it("keeps the summary within the 4 KiB Kubernetes keeps of a termination message", async () => {
      const checks = Array.from({ length: 20 }, (_, i) => ({
        name: `check-${String(i).padStart(2, "0")}-${"n".repeat(50)}`,
        // Quotes and backslashes double in JSON: the worst case for the size.
        run: 'printf "error: %s\\n" "$NOISE"; exit 1',
        timeout: 30,
        env: { NOISE: '"\\'.repeat(100) },
      }));
      const run = await runScript(shell, RUNNER_SCRIPT, checksEnv(checks));
      assert.ok(Buffer.byteLength(run.result) < 4096, `${Buffer.byteLength(run.result)} bytes`);
      const summary = parseSummary(run.result);
      assert.equal(summary?.checks.length, 20);
      assert.equal(summary?.errorsOmitted, true);
      assert.deepEqual(summary?.checks[19], {
        name: checks[19]?.name,
        exitCode: 1,
        seconds: summary?.checks[19]?.seconds,
        timedOut: false,
      });
    });
  });
}

describe("the clone script", () => {
  function origin(): { url: string; main: string; feature: string } {
    const dir = gitRepo({ "a.txt": "1\n" });
    git(dir, "checkout", "-q", "-b", "feature");
    git(dir, "commit", "-q", "--allow-empty", "-m", "feature only");
    const feature = git(dir, "rev-parse", "HEAD");
    git(dir, "checkout", "-q", "main");
    return { url: `file://${dir}`, main: git(dir, "rev-parse", "HEAD"), feature };
  }

  // file:// stands in for https here; the Job allows only https and http.
  const cloneEnv = (repo: string, sha: string, branch = ""): Record<string, string> => ({
    KUBEPROOF_REPO: repo,
    KUBEPROOF_SHA: sha,
    KUBEPROOF_BRANCH: branch,
    KUBEPROOF_CLONE_TIMEOUT: "60",
    GIT_ALLOW_PROTOCOL: "file",
    GIT_CONFIG_NOSYSTEM: "1",
  });

  it("checks out exactly the commit asked for, also one only on another branch", async () => {
    const repo = origin();
    for (const sha of [repo.main, repo.feature]) {
      const dir = tempDir("kp-clone-");
      const run = await runScript("dash", CLONE_SCRIPT, {
        ...cloneEnv(repo.url, sha),
        KUBEPROOF_WORKDIR: join(dir, "src"),
      });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(git(join(dir, "src"), "rev-parse", "HEAD"), sha);
      assert.equal(run.stdout, `kubeproof clone: ${repo.url} at ${sha}\n`);
      assert.equal(run.result, "");
    }
  });

  it("fails with a reason in the termination message", async () => {
    const repo = origin();
    const missing = await runScript("dash", CLONE_SCRIPT, cloneEnv(repo.url, "0".repeat(40)));
    assert.equal(missing.code, 1);
    assert.equal(missing.result, `fetching commit ${"0".repeat(40)} from ${repo.url} failed; is it pushed?`);
    const notOnBranch = await runScript("dash", CLONE_SCRIPT, cloneEnv(repo.url, "0".repeat(40), "main"));
    assert.equal(notOnBranch.code, 1);
    assert.equal(notOnBranch.result, `commit ${"0".repeat(40)} is not on ${repo.url}; push it first`);
    for (const [env, reason] of [
      [cloneEnv(repo.url, "HEAD"), "invalid commit SHA"],
      [cloneEnv(repo.url, `${repo.main};id`), "invalid commit SHA"],
      [cloneEnv("--upload-pack=touch pwned", repo.main), "invalid repository URL"],
      [cloneEnv(repo.url, repo.main, "--output=x"), "invalid branch name"],
    ] as const) {
      const run = await runScript("dash", CLONE_SCRIPT, env);
      assert.equal(run.code, 1);
      assert.equal(run.result, reason);
    }
  });
});

describe("the runner script in a busybox image", () => {
  // Debian's static busybox (the real node's built-in image) has no printenv applet: only busybox on
  // PATH, as in that image, the runner must still read its checks.
  const busybox = "/bin/busybox";
  it(
    "runs its checks with only busybox's applets",
    { skip: !existsSync(busybox) && "no busybox" },
    async () => {
      const bin = tempDir("kp-busybox-");
      const applets = execFileSync(busybox, ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean);
      for (const applet of applets) symlinkSync(busybox, join(bin, applet));
      const run = await runScript(join(bin, "sh"), RUNNER_SCRIPT, {
        ...checksEnv([{ name: "ok", run: "echo from $SHELL_NAME", timeout: 30, env: { SHELL_NAME: "ash" } }]),
        PATH: bin,
      });
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(withoutSeconds(run.result), {
        v: 1,
        checks: [{ name: "ok", exitCode: 0, timedOut: false, error: "" }],
      });
      assert.equal(splitLog(run.stdout).checks.get(0), "from ash");
    },
  );
});
