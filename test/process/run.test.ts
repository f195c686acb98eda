import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commandFailure, runCommand } from "../../src/process/index.ts";

describe("runCommand", { timeout: 30_000 }, () => {
  it("returns the exit code and both streams", async () => {
    const result = await runCommand({ command: "sh", args: ["-c", "echo out; echo err >&2; exit 3"] });
    assert.deepEqual(result, { code: 3, stdout: "out\n", stderr: "err\n" });
    assert.equal(commandFailure(result), "err");
  });

  it("says nothing failed for exit 0, and gives the exit code when stderr is empty", async () => {
    assert.equal(commandFailure(await runCommand({ command: "true" })), undefined);
    assert.equal(commandFailure(await runCommand({ command: "false" })), "exit code 1");
  });

  it("reports a command that cannot start", async () => {
    const result = await runCommand({ command: "/nonexistent/kp-no-such-binary" });
    assert.equal(result.code, null);
    assert.match(commandFailure(result) ?? "", /ENOENT/);
  });

  it("stops the command when its signal aborts, with the signal's reason", async () => {
    const controller = new AbortController();
    const running = runCommand({ command: "sleep", args: ["30"], signal: controller.signal });
    controller.abort(new Error("gave up waiting"));
    const result = await running;
    assert.equal(result.code, null);
    assert.equal(commandFailure(result), "gave up waiting");
  });

  it("keeps the tail of the output past maxBytes", async () => {
    const result = await runCommand({ command: "sh", args: ["-c", "printf 0123456789"], maxBytes: 4 });
    assert.equal(result.stdout, "6789");
  });
});
