import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { acquireLock } from "../../src/cluster/lock.ts";

test("a second holder waits until the first releases", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kp-lock-"));
  const lockDir = join(dir, "x.lock");
  const first = await acquireLock(lockDir);
  const order: string[] = [];
  let waitedOn: number | undefined;
  const second = acquireLock(lockDir, { pollMs: 10, onWait: (pid) => (waitedOn = pid) }).then((handle) => {
    order.push("second acquired");
    return handle;
  });
  await new Promise((r) => setTimeout(r, 60));
  order.push("first released");
  await first.release();
  await (await second).release();
  assert.deepEqual(order, ["first released", "second acquired"]);
  assert.equal(waitedOn, process.pid);
});

test("a lock left by a dead process is taken over", async () => {
  const dir = await mkdtemp(join(tmpdir(), "kp-lock-"));
  const lockDir = join(dir, "x.lock");
  const child = spawn(process.execPath, ["-e", ""]);
  const deadPid = child.pid!;
  await new Promise((r) => child.on("exit", r));
  await mkdir(lockDir);
  await writeFile(join(lockDir, "pid"), String(deadPid));
  const handle = await acquireLock(lockDir, { onWait: () => assert.fail("must not wait for a dead holder") });
  await handle.release();
});
