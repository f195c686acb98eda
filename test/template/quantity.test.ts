import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  formatQuantity,
  goFormatFloat,
  parseQuantity,
  quantityToNumber,
} from "../../src/template/quantity.ts";

function canonical(text: string): string {
  const q = parseQuantity(text);
  assert.ok(q, `${text} should parse`);
  return formatQuantity(q);
}

// Canonical forms as k8s.io/apimachinery resource.Quantity.String() prints them.
describe("parseQuantity / formatQuantity", () => {
  const cases: [string, string][] = [
    ["0", "0"],
    ["1", "1"],
    ["100m", "100m"],
    ["1000m", "1"],
    ["1.5", "1500m"],
    ["0.5", "500m"],
    ["1k", "1k"],
    ["1000", "1k"],
    ["1500", "1500"],
    ["1Ki", "1Ki"],
    ["1024", "1024"],
    ["2048Ki", "2Mi"],
    ["1.5Gi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["1e3", "1e3"],
    ["12e2", "1200"],
    ["1E", "1E"],
    ["-1Ki", "-1Ki"],
    ["+5", "5"],
    ["007", "7"],
    ["0.1n", "1n"],
    ["1n", "1n"],
    ["0.5Ki", "512"],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => assert.equal(canonical(input), expected));
  }

  it("rejects what is not a quantity", () => {
    for (const text of ["", "1h", "30s", "abc", "1.2.3", "1Gb", "1e", "1 Gi", ".5i", "1i", "-3.01e-"]) {
      assert.equal(parseQuantity(text), undefined, text);
    }
  });

  it("accepts Go-duration-looking strings that are quantities (m is milli)", () => {
    assert.equal(canonical("30m"), "30m");
    assert.equal(
      quantityToNumber(parseQuantity("30m") ?? { unscaled: 0n, scale: 0, format: "DecimalSI" }),
      0.03,
    );
  });
});

describe("goFormatFloat (fmt %v)", () => {
  it("uses %e from exponent 6 and below -4", () => {
    assert.equal(goFormatFloat(2.5), "2.5");
    assert.equal(goFormatFloat(123456), "123456");
    assert.equal(goFormatFloat(1000000), "1e+06");
    assert.equal(goFormatFloat(1234567), "1.234567e+06");
    assert.equal(goFormatFloat(0.0001), "0.0001");
    assert.equal(goFormatFloat(0.00001), "1e-05");
    assert.equal(goFormatFloat(-3), "-3");
  });
});
