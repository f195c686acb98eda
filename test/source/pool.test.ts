import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapConcurrent } from "../../src/source/pool.ts";

/** A promise settled from outside, so the test decides when each piece of work ends. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("mapConcurrent", () => {
  it("runs at most `concurrency` at a time, in the items' order, and keeps the results in order", async () => {
    const gates = Array.from({ length: 5 }, () => deferred<void>());
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const done = mapConcurrent([10, 20, 30, 40, 50], 2, async (item, index) => {
      started.push(index);
      running += 1;
      most = Math.max(most, running);
      await gates[index].promise;
      running -= 1;
      return item * 2;
    });
    await settle();
    assert.deepEqual(started, [0, 1]);
    gates[1].resolve();
    await settle();
    assert.deepEqual(started, [0, 1, 2], "a free slot takes the next item");
    for (const gate of gates) gate.resolve();
    assert.deepEqual(await done, [20, 40, 60, 80, 100]);
    assert.equal(most, 2);
  });

  it("starts nothing new after a failure and rejects once the running work has settled", async () => {
    const slow = deferred<void>();
    const started: number[] = [];
    let slowFinished = false;
    const done = mapConcurrent([0, 1, 2, 3], 2, async (index) => {
      started.push(index);
      if (index === 0) {
        await slow.promise;
        slowFinished = true;
      }
      if (index === 1) throw new Error("item 1 failed");
    });
    let rejected = false;
    done.catch(() => (rejected = true));
    await settle();
    assert.equal(rejected, false, "waits for item 0, still running");
    slow.resolve();
    await assert.rejects(done, /item 1 failed/);
    assert.equal(slowFinished, true);
    assert.deepEqual(started, [0, 1]);
  });

  it("runs one at a time when asked for less than one, and handles no items", async () => {
    let running = 0;
    let most = 0;
    await mapConcurrent([1, 2, 3], 0, async () => {
      running += 1;
      most = Math.max(most, running);
      await settle();
      running -= 1;
    });
    assert.equal(most, 1);
    assert.deepEqual(await mapConcurrent([], 4, () => Promise.resolve(1)), []);
  });
});
