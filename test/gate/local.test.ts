import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { GateCheck, LocalTier } from "../../src/gate/config.ts";
import type { GateEvent } from "../../src/model/gate-events.ts";
import { checkStatus } from "../../src/gate/feedback/index.ts";
import { runLocalTier } from "../../src/gate/local.ts";
import { waitUntil } from "../support/wait.ts";
import { tempDir } from "./support.ts";

function tier(checks: GateCheck[]): LocalTier {
  return { name: "fast", checks };
}

function check(name: string, run: string, timeout = 20_000, extra: Partial<GateCheck> = {}): GateCheck {
  return { name, run, timeout, ...extra };
}

/** Whether a process is gone (or a zombie nobody reaped yet, which runs no code). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return true;
  }
}

describe("local tier", () => {
  it("runs every check even after one fails, and reports them in configuration order", async () => {
    const root = tempDir();
    const events: GateEvent[] = [];
    const results = await runLocalTier(
      tier([
        check("fails", "echo broken >&2; exit 3"),
        check("passes", 'echo "$FOO in $(pwd)"', 20_000, { env: { FOO: "bar" } }),
        check("also-fails", "exit 1"),
      ]),
      { root, jobs: 1, onEvent: (e) => events.push(e) },
    );
    assert.deepEqual(
      results.map((r) => [r.name, checkStatus(r), r.exitCode, r.output]),
      [
        ["fails", "failed", 3, "broken\n"],
        ["passes", "passed", 0, `bar in ${root}\n`],
        ["also-fails", "failed", 1, ""],
      ],
    );
    assert.deepEqual(
      events.map((e) => (e.type === "check-end" ? `${e.type} ${e.check} ${e.status}` : `${e.type}`)),
      [
        "check-begin",
        "check-end fails failed",
        "check-begin",
        "check-end passes passed",
        "check-begin",
        "check-end also-fails failed",
      ],
    );
  });

  it("runs one check at a time with --jobs 1 and several at once with more", async () => {
    const root = tempDir();
    const log = join(root, "order.log");
    const step = (name: string): string =>
      `echo "start ${name}" >> ${log}; sleep 0.2; echo "end ${name}" >> ${log}`;
    await runLocalTier(tier([check("a", step("a")), check("b", step("b")), check("c", step("c"))]), {
      root,
      jobs: 1,
    });
    assert.deepEqual(readFileSync(log, "utf8").trim().split("\n"), [
      "start a",
      "end a",
      "start b",
      "end b",
      "start c",
      "end c",
    ]);

    // A barrier: each check passes only if the other two have started while it waits.
    const barrier = (name: string): string =>
      `touch ${root}/${name}.started; i=0; while [ $(ls ${root}/*.started | wc -l) -lt 3 ]; do i=$((i+1)); [ $i -lt 200 ] || exit 9; sleep 0.05; done`;
    const results = await runLocalTier(
      tier([check("x", barrier("x")), check("y", barrier("y")), check("z", barrier("z"))]),
      {
        root,
        jobs: 3,
      },
    );
    assert.deepEqual(
      results.map((r) => r.exitCode),
      [0, 0, 0],
    );
  });

  it("stops a check at its timeout together with everything it started", async () => {
    const root = tempDir();
    const results = await runLocalTier(
      tier([check("slow", `echo started; sleep 300 & echo $! > ${root}/child.pid; sleep 300`, 500)]),
      { root, killGraceMs: 1000 },
    );
    const [slow] = results;
    assert.equal(slow?.timedOut, true);
    assert.equal(slow?.exitCode, null);
    assert.equal(slow?.error, "stopped after its timeout of 500ms");
    assert.equal(slow && checkStatus(slow), "timedOut");
    assert.equal(slow?.output, "started\n");
    const child = Number(readFileSync(join(root, "child.pid"), "utf8"));
    await waitUntil("the timed-out check's child to be gone", () => Promise.resolve(gone(child)), 10_000);
  });

  it("escalates to SIGKILL when a check ignores SIGTERM", async () => {
    const root = tempDir();
    const [stubborn] = await runLocalTier(
      tier([check("stubborn", "trap '' TERM; echo $$ > pid; while :; do sleep 0.1; done", 300)]),
      {
        root,
        killGraceMs: 200,
      },
    );
    assert.equal(stubborn?.timedOut, true);
    const pid = Number(readFileSync(join(root, "pid"), "utf8"));
    await waitUntil("the stubborn check to be killed", () => Promise.resolve(gone(pid)), 10_000);
  });

  it("kills what a finished check left running in the background", async () => {
    const root = tempDir();
    const [done] = await runLocalTier(
      tier([check("leaves-a-server", `sleep 300 & echo $! > ${root}/bg.pid; echo done`)]),
      { root },
    );
    assert.equal(done?.exitCode, 0);
    const bg = Number(readFileSync(join(root, "bg.pid"), "utf8"));
    await waitUntil("the left-over process to be gone", () => Promise.resolve(gone(bg)), 10_000);
  });

  it("keeps the tail of long output, without terminal codes", async () => {
    const root = tempDir();
    const [noisy] = await runLocalTier(
      tier([
        check(
          "noisy",
          "i=0; while [ $i -lt 5000 ]; do i=$((i+1)); printf '\\033[32mline %d\\033[0m\\n' $i; done; exit 1",
        ),
      ]),
      { root, outputBytes: 1024 },
    );
    const output = noisy?.output ?? "";
    assert.ok(output.endsWith("line 4999\nline 5000\n"), output.slice(-40));
    assert.ok(!output.includes("\x1b"));
    assert.ok(!output.includes("line 1\n"));
    assert.ok(Buffer.byteLength(output) <= 1024);
  });

  it("skips a check when none of its paths changed, and says why", async () => {
    const root = tempDir();
    const events: GateEvent[] = [];
    const results = await runLocalTier(
      tier([
        check("unit", "true", 5000, { paths: ["src/**", "test/**"] }),
        check("docs", "true", 5000, { paths: ["docs/**"] }),
        check("always", "true"),
      ]),
      { root, changed: ["docs/gate.md"], base: "origin/main", onEvent: (e) => events.push(e) },
    );
    assert.deepEqual(
      results.map((r) => [r.name, checkStatus(r), r.skipped]),
      [
        ["unit", "skipped", "no changed file matches src/**, test/** (against origin/main)"],
        ["docs", "passed", undefined],
        ["always", "passed", undefined],
      ],
    );
    assert.deepEqual(events[0], {
      type: "check-skip",
      tier: "fast",
      check: "unit",
      reason: "no changed file matches src/**, test/** (against origin/main)",
    });
  });

  it("on interrupt stops running checks and starts no more", async () => {
    const root = tempDir();
    const controller = new AbortController();
    const pending = runLocalTier(
      tier([check("long", `touch ${root}/started; sleep 300`), check("next", "echo should not run")]),
      { root, jobs: 1, signal: controller.signal, killGraceMs: 500 },
    );
    await waitUntil("the first check to start", () => Promise.resolve(existsSync(join(root, "started"))));
    controller.abort();
    const [long, next] = await pending;
    assert.equal(long?.error, "interrupted");
    assert.equal(long && checkStatus(long), "error");
    assert.equal(next?.skipped, "interrupted");
  });
});
