import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { deadline } from "../../src/source/deadline.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

test("an operation deadline fires even after a garbage collection", async () => {
  // Regression: AbortSignal.any([interrupt, AbortSignal.timeout(ms)]) lost its timeout to the GC on
  // Node 20, so a 60 s assertion on a missing object never ended.
  const interrupt = new AbortController();
  const timer = deadline(150, interrupt.signal);
  gc();
  await sleep(400);
  gc();
  assert.equal(timer.signal.aborted, true);
  assert.equal((timer.signal.reason as DOMException).name, "TimeoutError");
  timer.dispose();
});

test("a deadline says what it waited, in the one duration format", async () => {
  const timer = deadline(30);
  await new Promise((resolve) => timer.signal.addEventListener("abort", resolve, { once: true }));
  assert.equal((timer.signal.reason as DOMException).message, "timed out after 30ms");
  timer.dispose();
});

test("abort ends a deadline early with its own reason", () => {
  const timer = deadline(60_000);
  const failure = new Error("etcd exited with code 1");
  timer.abort(failure);
  assert.equal(timer.signal.reason, failure);
  timer.dispose();
});

test("an operation deadline follows its parent and disposes cleanly", async () => {
  const interrupt = new AbortController();
  const first = deadline(60_000, interrupt.signal);
  interrupt.abort(new Error("interrupted"));
  assert.equal(first.signal.aborted, true);
  assert.equal((first.signal.reason as Error).message, "interrupted");
  first.dispose();

  const second = deadline(50);
  second.dispose();
  await sleep(150);
  assert.equal(second.signal.aborted, false, "a disposed deadline does not fire");

  const late = deadline(60_000, interrupt.signal);
  assert.equal(late.signal.aborted, true, "an already-aborted parent aborts at once");
  late.dispose();
});
