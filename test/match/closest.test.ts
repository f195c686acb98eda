import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { closestMatch } from "../../src/match/closest.ts";
import { Bindings } from "../../src/template/bindings.ts";

const opts = { bindings: Bindings.empty() };

describe("closestMatch", () => {
  const expected = { metadata: { labels: { app: "web" } }, spec: { replicas: 3, paused: false } };

  it("picks the candidate with the fewest failures", () => {
    const candidates = [
      { metadata: { labels: { app: "db" } }, spec: { replicas: 1, paused: true } },
      { metadata: { labels: { app: "web" } }, spec: { replicas: 2, paused: false } },
      { metadata: { labels: { app: "api" } }, spec: { replicas: 3, paused: true } },
    ];
    const best = closestMatch(expected, candidates, opts);
    assert.equal(best?.index, 1);
    assert.equal(best?.result.failures.length, 1);
  });

  it("returns a matching candidate with an ok result", () => {
    const candidates = [{}, { metadata: { labels: { app: "web" } }, spec: { replicas: 3, paused: false } }];
    const best = closestMatch(expected, candidates, opts);
    assert.equal(best?.index, 1);
    assert.equal(best?.result.ok, true);
  });

  it("prefers the first candidate on ties and mismatches over evaluation errors", () => {
    const tie = closestMatch({ a: 1 }, [{ a: 2 }, { a: 3 }], opts);
    assert.equal(tie?.index, 0);
    const fatal = closestMatch({ a: 1 }, [{ a: "1" }, { a: 2 }], opts);
    assert.equal(fatal?.index, 1);
  });

  it("returns undefined without candidates", () => {
    assert.equal(closestMatch(expected, [], opts), undefined);
  });
});
