import assert from "node:assert/strict";
import { test } from "node:test";
import { warnings } from "../../src/kube/client.ts";

test("API warnings are read one per Warning header, as client-go reports them", () => {
  const rawHeaders = [
    "Content-Type",
    "application/json",
    "Warning",
    '299 - "example.com/v1 Widget is deprecated"',
    "warning",
    '299 - "unknown field \\"spec.sise\\""',
    "Warning",
    "not a warning",
  ];
  assert.deepEqual(warnings({ rawHeaders }), [
    { code: 299, agent: "-", text: "example.com/v1 Widget is deprecated" },
    { code: 299, agent: "-", text: 'unknown field "spec.sise"' },
  ]);
});
