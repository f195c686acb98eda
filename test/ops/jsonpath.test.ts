import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonPathText, jsonPathValue } from "../../src/ops/jsonpath.ts";

const object = {
  status: { readyReplicas: 3, conditions: [{ type: "Ready" }], "a.b": true },
  metadata: { labels: { "app.kubernetes.io/name": "web" } },
};

test("kubectl-style JSONPath: braces optional, dots, indexes, quoted keys", () => {
  assert.equal(jsonPathValue(object, "{.status.readyReplicas}"), 3);
  assert.equal(jsonPathValue(object, ".status.conditions[0].type"), "Ready");
  assert.equal(jsonPathValue(object, "{.metadata.labels['app.kubernetes.io/name']}"), "web");
  assert.equal(jsonPathValue(object, '{.status["a.b"]}'), true);
  assert.equal(jsonPathValue(object, "{.status.missing.deeper}"), undefined);
  assert.throws(() => jsonPathValue(object, "{.items[*].name}"), /unsupported JSONPath/);
});

test("values compare as kubectl prints them", () => {
  assert.equal(jsonPathText(3), "3");
  assert.equal(jsonPathText("Running"), "Running");
  assert.equal(jsonPathText(true), "true");
  assert.equal(jsonPathText(undefined), "");
});
