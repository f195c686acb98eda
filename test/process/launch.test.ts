import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { OutputCapture } from "../../src/process/capture.ts";
import { groupRunning, isRunning, signalGroup, stopGroup } from "../../src/process/group.ts";
import { launchProcess, type AfterExit } from "../../src/process/launch.ts";
import { waitUntil } from "../support/wait.ts";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "kp-launch-"));
}

/** `sh -c script` in `dir`, its stdout and stderr in one capture. */
function sh(script: string, dir: string, afterExit: AfterExit, extra: { killGraceMs?: number } = {}) {
  const capture = new OutputCapture({ maxBytes: 64 * 1024 });
  const launched = launchProcess({
    command: "sh",
    args: ["-c", script],
    cwd: dir,
    stdout: capture.stream(),
    stderr: capture.stream(),
    afterExit,
    ...extra,
  });
  return { launched, capture };
}

function pidIn(dir: string, file: string): number {
  return Number(readFileSync(join(dir, file), "utf8"));
}

const gone = (pid: number) => () => Promise.resolve(!isRunning(pid));

// A launcher that waits for pipes a left-behind process holds would hang: fail instead.
describe("launchProcess", { timeout: 30_000 }, () => {
  it("resolves when the shell exits although a process it left in the background holds its stdout", async () => {
    const dir = tempDir();
    const { launched, capture } = sh("sleep 30 & echo $! > bg.pid; echo started", dir, "keep");
    const exit = await launched.exited;
    assert.deepEqual(exit, { code: 0, signal: null, stopped: false });
    assert.equal(capture.text(), "started\n");
    const bg = pidIn(dir, "bg.pid");
    assert.ok(isRunning(bg), "what the script left runs on");
    assert.ok(launched.running());
    await launched.stop();
    assert.ok(!isRunning(bg));
    assert.ok(!launched.running());
  });

  it("keeps draining a pipe it stopped waiting for, so a left-behind writer does not die of SIGPIPE", async () => {
    const dir = tempDir();
    const { launched } = sh(
      "(i=0; while [ $i -lt 40 ]; do echo tick; i=$((i+1)); sleep 0.02; done; touch survived) & echo started",
      dir,
      "keep",
    );
    await launched.exited;
    await waitUntil(
      "the background writer to finish",
      () => Promise.resolve(existsSync(join(dir, "survived"))),
      10_000,
    );
    await launched.stop();
  });

  it("kills what the child left in its group when asked to (afterExit: kill)", async () => {
    const dir = tempDir();
    const { launched } = sh("sleep 30 & echo $! > bg.pid; echo started", dir, "kill");
    assert.equal((await launched.exited).code, 0);
    await waitUntil("the left-over process to be gone", gone(pidIn(dir, "bg.pid")), 10_000);
  });

  it("stops the whole group on abort, grandchildren included", async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const capture = new OutputCapture({ maxBytes: 1024 });
    const launched = launchProcess({
      command: "sh",
      args: ["-c", "sh -c 'sleep 300 & echo $! > grandchild.pid; wait' & sleep 300"],
      cwd: dir,
      stdout: capture.stream(),
      signal: controller.signal,
      afterExit: "keep",
    });
    await waitUntil("the grandchild to start", () =>
      Promise.resolve(existsSync(join(dir, "grandchild.pid"))),
    );
    const grandchild = pidIn(dir, "grandchild.pid");
    controller.abort();
    const exit = await launched.exited;
    assert.equal(exit.stopped, true);
    assert.equal(exit.signal, "SIGKILL", "a grace of 0 kills at once");
    await waitUntil("the grandchild to be gone", gone(grandchild), 10_000);
    // SIGKILL reaches every member at once, but each takes its own moment to die: wait, do not sample.
    await waitUntil(
      "the whole group to be gone",
      () => Promise.resolve(!groupRunning(launched.pid!)),
      10_000,
    );
  });

  it("sends SIGTERM first and SIGKILL only after the grace", async () => {
    const dir = tempDir();
    const polite = sh("sleep 30", dir, "kill", { killGraceMs: 10_000 });
    await polite.launched.stop();
    assert.equal((await polite.launched.exited).signal, "SIGTERM");

    const stubborn = sh("trap '' TERM; echo $$ > pid; while :; do sleep 0.1; done", dir, "kill", {
      killGraceMs: 200,
    });
    await waitUntil("the stubborn shell to start", () => Promise.resolve(existsSync(join(dir, "pid"))));
    await stubborn.launched.stop();
    const exit = await stubborn.launched.exited;
    assert.equal(exit.signal, "SIGKILL");
    assert.equal(exit.stopped, true);
  });

  it("reports a command that cannot start, without throwing", async () => {
    const launched = launchProcess({ command: "/nonexistent/kp-no-such-binary", afterExit: "kill" });
    const exit = await launched.exited;
    assert.equal(exit.code, null);
    assert.match(exit.error?.message ?? "", /ENOENT/);
    assert.equal(launched.running(), false);
    await launched.stop();
  });

  it("writes to a file descriptor when given one, and lets a child outlive the caller", async () => {
    const dir = tempDir();
    const { openSync, closeSync } = await import("node:fs");
    const fd = openSync(join(dir, "log"), "a");
    const launched = launchProcess({
      command: "sh",
      args: ["-c", "echo out; echo err >&2; sleep 30"],
      stdout: { fd },
      stderr: { fd },
      afterExit: "outlive",
    });
    closeSync(fd);
    await waitUntil("the output to be written", () =>
      Promise.resolve(readFileSync(join(dir, "log"), "utf8") === "out\nerr\n"),
    );
    // stop() holds the event loop open for the exit of a child that no longer does.
    await launched.stop();
    assert.equal((await launched.exited).signal, "SIGKILL");
  });
});

describe("when kubeproof exits", () => {
  it("an unref'd child does not keep it alive, and what it did not stop is killed", async () => {
    const dir = tempDir();
    const script = join(dir, "main.mts");
    const launcher = fileURLToPath(new URL("../../src/process/launch.ts", import.meta.url));
    writeFileSync(
      script,
      `import { launchProcess } from ${JSON.stringify(launcher)};
const launched = launchProcess({ command: "sleep", args: ["300"], afterExit: "keep", unref: true });
console.log(launched.pid);`,
    );
    const run = spawnSync(process.execPath, ["--import", "tsx", script], {
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(run.error, undefined, "it exits by itself");
    assert.equal(run.status, 0, run.stderr);
    await waitUntil("the exit hook to kill the sleep", gone(Number(run.stdout.trim())), 10_000);
  });
});

describe("signalGroup and the process checks", () => {
  it("never signal or report pids with another meaning for kill() (0, 1, negative)", async () => {
    for (const pid of [0, 1, -1, 1.5, Number.NaN]) {
      assert.equal(groupRunning(pid), false);
      assert.equal(isRunning(pid), false);
      signalGroup(pid, "SIGCONT");
      await stopGroup(pid, 0);
    }
  });
});
