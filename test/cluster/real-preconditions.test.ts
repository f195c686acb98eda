import assert from "node:assert/strict";
import { test } from "node:test";
import { RealNodeUnavailable } from "../../src/cluster/errors.ts";
import { assertRealNodesPossible, realNodeProblem } from "../../src/cluster/providers/real/preconditions.ts";

test(
  "without root a real node is refused with the reason and the alternatives",
  { skip: process.platform !== "linux" && "Linux only" },
  (t) => {
    const getuid = process.getuid;
    process.getuid = () => 1000;
    t.after(() => {
      process.getuid = getuid;
    });
    assert.equal(realNodeProblem(), "real nodes need root (network namespaces, mounts, cgroups)");
    assert.throws(
      () => assertRealNodesPossible(),
      (error: unknown) =>
        error instanceof RealNodeUnavailable &&
        /cannot start real nodes: real nodes need root/.test(error.message) &&
        /kwok-only local cluster .*kind.*--kubeconfig/s.test(error.message),
    );
  },
);
