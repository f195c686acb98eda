import assert from "node:assert/strict";
import { test } from "node:test";
import { timeoutsFromEnvironment } from "../../src/config/timeouts-env.ts";

test("KUBEPROOF_TIMEOUT_<CLASS> variables set their classes; unset and empty ones leave the rest", () => {
  assert.deepEqual(
    timeoutsFromEnvironment({
      KUBEPROOF_TIMEOUT_ASSERT: "3m",
      KUBEPROOF_TIMEOUT_EXEC: "1m30s",
      KUBEPROOF_TIMEOUT_APPLY: "",
      READY_TIMEOUT: "10m",
    }),
    { assert: 180_000, exec: 90_000 },
  );
  assert.deepEqual(timeoutsFromEnvironment({}), {});
});

test("a value that is not a duration names its variable and what is expected", () => {
  assert.throws(
    () => timeoutsFromEnvironment({ KUBEPROOF_TIMEOUT_CLEANUP: "ten seconds" }),
    /^Error: KUBEPROOF_TIMEOUT_CLEANUP: expected a duration such as 30s, 1m30s or 500ms, got "ten seconds"$/,
  );
});
