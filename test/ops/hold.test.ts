import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hold, poll, type Evaluation, type EvaluationStream } from "../../src/ops/hold.ts";

/** A stream that yields `evaluations` in order, then ends (the deadline) unless judged decided. */
function streamOf(evaluations: readonly Evaluation[]): EvaluationStream {
  return (judge) => Promise.resolve(evaluations.some((evaluation) => judge(evaluation)));
}

describe("hold", () => {
  const cases: [string, "eventually" | "consistently" | "never", Evaluation[], string, number][] = [
    ["eventually passes at the first hold", "eventually", [false, false, true, false], "passed", 3],
    ["eventually fails when the stream ends first", "eventually", [false, false], "failed", 2],
    ["consistently fails at the first violation", "consistently", [true, false, true], "failed", 2],
    ["consistently passes when it held to the end", "consistently", [true, true, true], "passed", 3],
    ["never fails at the first hold", "never", [false, true, false], "failed", 2],
    ["never passes when it never held", "never", [false, false], "passed", 2],
    ["a broken evaluation stops at once", "consistently", [true, "broken", true], "broken", 2],
  ];
  for (const [name, mode, evaluations, verdict, count] of cases) {
    it(name, async () => {
      assert.deepEqual(await hold(mode, streamOf(evaluations)), { verdict, evaluations: count });
    });
  }
});

describe("poll", () => {
  it("evaluates until the condition is decided", async () => {
    let calls = 0;
    const decided = await poll(new AbortController().signal, 1, () => ++calls === 3);
    assert.equal(decided, true);
    assert.equal(calls, 3);
  });

  it("evaluates once even when the deadline has passed, then ends undecided", async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    assert.equal(await poll(controller.signal, 1, () => (calls++, false)), false);
    assert.equal(calls, 1);
  });

  it("drives hold for a polled condition", async () => {
    const controller = new AbortController();
    let calls = 0;
    const result = await hold("consistently", (judge) =>
      poll(controller.signal, 1, () => {
        calls += 1;
        if (calls === 4) controller.abort();
        return judge(true);
      }),
    );
    assert.deepEqual(result, { verdict: "passed", evaluations: 4 });
  });
});
