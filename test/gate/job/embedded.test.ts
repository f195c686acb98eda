import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { EMBEDDED_RUNNER_SCRIPT } from "../../../src/gate/job/embedded.ts";
import { parseSummary, splitLog } from "../../../src/gate/job/summary.ts";
import { binDirFor } from "../../support/binaries.ts";
import { tempDir } from "../support.ts";

/**
 * The checks container's script of a `cluster: embedded` tier, run here for real under dash with
 * kubeproof from this checkout on the PATH: the cluster starts, the checks reach it through
 * KUBECONFIG, and it is stopped after them.
 */

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** A `kubeproof` on the PATH that runs this checkout's CLI (no build needed). */
function kubeproofOnPath(dir: string, body?: string): string {
  const bin = join(dir, "path");
  mkdirSync(bin, { recursive: true });
  const script =
    body ??
    `#!/bin/sh\nexec "${process.execPath}" --import ${import.meta.resolve("tsx")} ${join(root, "src/cli/bin.ts")} "$@"\n`;
  writeFileSync(join(bin, "kubeproof"), script, { mode: 0o755 });
  return bin;
}

function run(
  env: Record<string, string>,
  dir: string,
  stopWhen?: RegExp,
): Promise<{ code: number | null; out: string; result: string }> {
  const result = join(dir, "result");
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", EMBEDDED_RUNNER_SCRIPT], {
      cwd: dir,
      env: {
        HOME: dir,
        TMPDIR: dir,
        KUBEPROOF_RESULT_FILE: result,
        KUBEPROOF_WORKDIR: dir,
        KUBEPROOF_KILL_GRACE: "1",
        ...env,
      },
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      // Ctrl-C on the gate, or the Job's deadline: the kubelet sends TERM to the container's shell.
      if (stopWhen?.test(out)) child.kill("SIGTERM");
    });
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, out, result: existsSync(result) ? readFileSync(result, "utf8") : "" }),
    );
  });
}

function oneCheck(name: string, command: string): Record<string, string> {
  return {
    KUBEPROOF_CHECK_COUNT: "1",
    KUBEPROOF_CHECK_0_NAME: name,
    KUBEPROOF_CHECK_0_RUN: command,
    KUBEPROOF_CHECK_0_TIMEOUT: "120",
    KUBEPROOF_CHECK_0_ENV_COUNT: "0",
  };
}

describe("the embedded cluster's runner script", () => {
  it("starts the cluster, gives the checks its KUBECONFIG, and stops it after them", async (t) => {
    const binDir = await binDirFor(t);
    if (!binDir) return;
    const dir = tempDir("kp-embedded-");
    const home = join(dir, "kp");
    const path = kubeproofOnPath(dir);
    const check =
      'kubectl get nodes -o name && kubectl create configmap from-check && echo "kubeconfig=$KUBECONFIG"';
    const { code, out, result } = await run(
      {
        ...oneCheck("e2e", check),
        PATH: `${path}:${binDir}:${process.env.PATH ?? ""}`,
        KUBEPROOF_HOME: home,
        KUBEPROOF_BIN_DIR: binDir,
        KUBECONFIG: join(home, "clusters/gate/kubeconfig"),
      },
      dir,
    );
    assert.equal(code, 0, out);
    const summary = parseSummary(result);
    assert.equal(summary?.checks[0]?.exitCode, 0, result);
    const log = splitLog(out);
    assert.match(log.checks.get(0) ?? "", /node\/kwok-node-0/);
    assert.match(log.checks.get(0) ?? "", /configmap\/from-check created/);
    assert.match(out, /kubeproof gate: starting the embedded cluster/);
    // Stopped and removed: nothing of the cluster is left.
    assert.equal(existsSync(join(home, "clusters/gate")), false, out);
  });

  it("reports a cluster that does not start as the runner not starting, and runs no check", async () => {
    const dir = tempDir("kp-embedded-");
    const calls = join(dir, "calls");
    const path = kubeproofOnPath(
      dir,
      `#!/bin/sh\necho "$*" >>${calls}\n[ "$1 $2" = "cluster up" ] && { echo 'etcd exited (code 1)' >&2; exit 1; }\nexit 0\n`,
    );
    const { code, out, result } = await run(
      { ...oneCheck("e2e", "echo ran >checked"), PATH: `${path}:${process.env.PATH ?? ""}` },
      dir,
    );
    assert.equal(code, 1);
    assert.match(parseSummary(result)?.error ?? "", /the embedded cluster did not start/);
    assert.match(out, /etcd exited \(code 1\)/);
    assert.equal(existsSync(join(dir, "checked")), false);
    // What a failed start left is stopped too.
    assert.deepEqual(readFileSync(calls, "utf8").trim().split("\n"), [
      "cluster up --name gate",
      "cluster down --name gate",
    ]);
  });

  it("says what the image lacks when kubeproof is not on its PATH", async () => {
    const dir = tempDir("kp-embedded-");
    const { code, result } = await run({ ...oneCheck("e2e", "true"), PATH: "/usr/bin:/bin" }, dir);
    assert.equal(code, 1);
    assert.match(parseSummary(result)?.error ?? "", /needs kubeproof on the image's PATH/);
  });

  it("passes TERM on to the running check and still stops the cluster", async () => {
    const dir = tempDir("kp-embedded-");
    const calls = join(dir, "calls");
    const path = kubeproofOnPath(dir, `#!/bin/sh\necho "$*" >>${calls}\nexit 0\n`);
    const { code, result } = await run(
      { ...oneCheck("e2e", "echo started; sleep 60"), PATH: `${path}:${process.env.PATH ?? ""}` },
      dir,
      /started/,
    );
    assert.equal(code, 143);
    assert.equal(parseSummary(result)?.checks[0]?.timedOut, true, result);
    assert.deepEqual(readFileSync(calls, "utf8").trim().split("\n"), [
      "cluster up --name gate",
      "cluster down --name gate",
    ]);
  });
});
