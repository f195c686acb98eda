import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../src/gate/feedback/parsers/make.ts";
import { prepared, ROOTS } from "./support.ts";

describe("make parser", () => {
  it("reads failed recipes of nested makes, with the sub-make's Makefile found by its directory", () => {
    assert.deepEqual(parse(prepared("make/recursive.txt", ROOTS.make)), {
      buildErrors: [
        { file: "sub/Makefile", line: 3, message: "make[1]: *** [Makefile:3: check] Error 3", tool: "make" },
        { file: "Makefile", line: 4, message: "make: *** [Makefile:4: unit] Error 2", tool: "make" },
      ],
      failures: [],
    });
  });

  it("reads an error in a Makefile itself", () => {
    assert.deepEqual(parse(prepared("make/separator.txt", "/tmp/kpfx/make")), {
      buildErrors: [{ file: "Makefile.bad", line: 2, message: "missing separator.  Stop.", tool: "make" }],
      failures: [],
    });
  });

  it("reads make's own errors without a location", () => {
    assert.deepEqual(parse(prepared("make/no-rule.txt", ROOTS.make)), {
      buildErrors: [{ message: "No rule to make target 'nosuch'.", tool: "make" }],
      failures: [],
    });
  });

  it("reads the old recipe format without file and line, and skips `Waiting for unfinished jobs`", () => {
    const out = "make: *** Waiting for unfinished jobs....\nmake: *** [test] Error 2\n";
    assert.deepEqual(parse(out).buildErrors, [{ message: "make: *** [test] Error 2", tool: "make" }]);
  });
});
