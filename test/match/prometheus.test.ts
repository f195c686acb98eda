import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import {
  ExpositionError,
  formatSeries,
  parseExposition,
  parseSelector,
  selectSamples,
} from "../../src/match/prometheus.ts";

/** Real `/metrics` answers, captured from the local cluster (trimmed to whole families). */
const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/prometheus/${name}`, import.meta.url), "utf8");

/** What every capture must satisfy: each `# TYPE` a family, each sample line in exactly one. */
function checkCapture(text: string): ReturnType<typeof parseExposition> {
  const exposition = parseExposition(text);
  const lines = text.split("\n");
  const typed = lines.filter((l) => l.startsWith("# TYPE ")).length;
  const sampleLines = lines.filter((l) => l !== "" && !l.startsWith("#")).length;
  assert.equal([...exposition.families.values()].filter((f) => f.type !== "untyped").length, typed);
  const samples = [...exposition.families.values()].reduce((n, f) => n + f.samples.length, 0);
  assert.equal(samples, sampleLines);
  return exposition;
}

describe("Prometheus text parser on real captures", () => {
  for (const name of ["kube-apiserver.txt", "kubelet.txt", "coredns.txt"]) {
    test(`${name}: every family and sample line is read`, () => {
      checkCapture(fixture(name));
    });
  }

  test("a histogram's _bucket, _sum and _count lines belong to its family, +Inf included", () => {
    const exposition = parseExposition(fixture("kube-apiserver.txt"));
    const family = exposition.families.get("apiserver_client_certificate_expiration_seconds");
    assert.equal(family?.type, "histogram");
    const names = new Set(family.samples.map((s) => s.name));
    assert.deepEqual([...names].sort(), [
      "apiserver_client_certificate_expiration_seconds_bucket",
      "apiserver_client_certificate_expiration_seconds_count",
      "apiserver_client_certificate_expiration_seconds_sum",
    ]);
    assert.ok(family.samples.some((s) => s.labels.le === "+Inf"));
  });

  test("a summary's quantiles and its _sum are one family", () => {
    const exposition = parseExposition(fixture("kube-apiserver.txt"));
    const family = exposition.families.get("apiserver_admission_step_admission_duration_seconds_summary");
    assert.equal(family?.type, "summary");
    assert.ok(family.samples.some((s) => s.labels.quantile === "0.99"));
    assert.ok(family.samples.some((s) => s.name.endsWith("_summary_sum")));
  });

  test("the kubelet's build info: labels read whatever their order, help text kept", () => {
    const exposition = parseExposition(fixture("kubelet.txt"));
    const [sample] = selectSamples(
      exposition,
      parseSelector('kubernetes_build_info{minor="36",major="1",git_version=~"v1\\\\.36\\\\..*"}'),
    );
    assert.equal(sample?.value, 1);
    assert.equal(sample.labels.compiler, "gc");
    assert.match(exposition.families.get("kubernetes_build_info")?.help ?? "", /constant '1' value/);
  });

  test("CoreDNS: request counters by zone, matched with != and !~", () => {
    const exposition = parseExposition(fixture("coredns.txt"));
    const all = selectSamples(exposition, parseSelector("coredns_dns_requests_total"));
    assert.ok(all.length > 0);
    const notRoot = selectSamples(
      exposition,
      parseSelector('coredns_dns_requests_total{zone!=".",type!~"A|AAAA"}'),
    );
    assert.ok(notRoot.every((s) => s.labels.zone !== "." && !["A", "AAAA"].includes(s.labels.type ?? "")));
  });
});

describe("Prometheus text parser: the grammar's corners", () => {
  test("escapes in label values and help, timestamps, special values, trailing comma", () => {
    const exposition = parseExposition(
      [
        "# HELP x A \\\\ back\\nslash.",
        "# TYPE x gauge",
        'x{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb",} +Inf 1700000000000',
        'x{a="1"} NaN',
        "x -Inf",
        "# just a comment",
        "y 1.5e3",
      ].join("\n"),
    );
    const x = exposition.families.get("x");
    assert.equal(x?.help, "A \\ back\nslash.");
    assert.deepEqual(x.samples[0], {
      name: "x",
      labels: { path: "C:\\dir", quote: 'say "hi"', nl: "a\nb" },
      value: Infinity,
      timestamp: 1700000000000,
    });
    assert.ok(Number.isNaN(x.samples[1]?.value));
    assert.equal(x.samples[2]?.value, -Infinity);
    assert.equal(exposition.families.get("y")?.type, "untyped");
    assert.equal(exposition.families.get("y")?.samples[0]?.value, 1500);
  });

  test("a malformed line is named with its line and column", () => {
    assert.throws(
      () => parseExposition('ok 1\nbad{a="1" 2\n'),
      (error: unknown) =>
        error instanceof ExpositionError &&
        error.line === 2 &&
        /expected , or } after label a/.test(error.message),
    );
    assert.throws(
      () => parseExposition("x one"),
      /line 1: expected a number, \+Inf, -Inf or NaN, found "one"/,
    );
    assert.throws(() => parseExposition("# TYPE x bogus"), /unknown metric type "bogus"/);
  });

  test("selectors: = != =~ !~ are PromQL's, regexes anchored, absent labels empty", () => {
    const exposition = parseExposition('r{code="200"} 1\nr{code="500"} 2\nr 3\n');
    const pick = (s: string): number[] => selectSamples(exposition, parseSelector(s)).map((x) => x.value);
    assert.deepEqual(pick('r{code=~"2.."}'), [1]);
    assert.deepEqual(pick('r{code=~"2"}'), []);
    assert.deepEqual(pick('r{code!~"5.."}'), [1, 3]);
    assert.deepEqual(pick('r{code=""}'), [3]);
    assert.deepEqual(pick('r{code!="200"}'), [2, 3]);
    assert.throws(() => parseSelector("r{code=200}"), /expected a quoted label value/);
    assert.equal(formatSeries("r", { b: "2", a: "1" }), 'r{a="1",b="2"}');
  });
});
