import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSummary, splitLog } from "../../../src/gate/job/summary.ts";

describe("summary and log", () => {
  it("parses only well-formed summaries", () => {
    assert.equal(parseSummary(undefined), undefined);
    assert.equal(parseSummary(""), undefined);
    assert.equal(parseSummary("{not json"), undefined);
    assert.equal(parseSummary('{"v":2,"checks":[]}'), undefined);
    assert.deepEqual(
      parseSummary('{"v":1,"checks":[{"name":"a","exitCode":0,"seconds":1,"timedOut":false}]}'),
      {
        v: 1,
        checks: [{ name: "a", exitCode: 0, seconds: 1, timedOut: false }],
      },
    );
  });

  it("splits a log tail that starts inside a check", () => {
    const log = splitLog(
      [
        "tail of unit's output",
        "##kubeproof-gate## end 0 exit=0",
        "##kubeproof-gate## begin 1 e2e",
        "e2e output",
        "##kubeproof-gate## end 1 exit=2",
        "runner says bye",
      ].join("\n"),
    );
    assert.deepEqual(
      [...log.checks.entries()],
      [
        [0, "tail of unit's output"],
        [1, "e2e output"],
      ],
    );
    assert.deepEqual([...log.begun], [1]);
    assert.deepEqual([...log.ended], [0, 1]);
    assert.equal(log.other, "runner says bye");
  });
});
