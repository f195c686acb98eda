import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import {
  createReporters,
  defaultReporterNames,
  parseReporterSpecs,
  ReporterNameError,
} from "../../src/report/index.ts";
import { Capture, FakeClock, drive } from "./events.ts";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kubeproof-reporters-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("parseReporterSpecs", () => {
  it("reads names, name=path overrides and comma-separated lists", () => {
    assert.deepEqual(parseReporterSpecs(["list", "junit=out/j.xml,json", " dot ", "html=out/r.html"]), [
      { name: "list" },
      { name: "junit", outputFile: "out/j.xml" },
      { name: "json" },
      { name: "dot" },
      { name: "html", outputFile: "out/r.html" },
    ]);
  });

  it("rejects unknown names, listing the valid ones", () => {
    assert.throws(
      () => parseReporterSpecs(["tap"]),
      (error: unknown) =>
        error instanceof ReporterNameError &&
        error.message ===
          'unknown reporter "tap": use one of list, line, dot, junit, json, html, github (file reporters take a path, as in junit=out/junit.xml)',
    );
  });

  it("rejects a file for a terminal reporter and an empty path", () => {
    assert.throws(
      () => parseReporterSpecs(["list=out.txt"]),
      /reporter "list" writes to the terminal and takes no file/,
    );
    assert.throws(() => parseReporterSpecs(["json="]), /reporter "json=" needs a path after "="/);
  });
});

describe("createReporters", () => {
  it("fans events out to every reporter, each file reporter writing its own file", async () => {
    const out = new Capture();
    const clock = new FakeClock();
    const reporters = createReporters(["dot", "junit", `json=${join(dir, "custom.json")}`], {
      stream: out,
      reportDir: join(dir, "reports"),
      now: clock.now,
      color: false,
      // A shared outputFile must not make junit and json write the same file.
      outputFile: join(dir, "shared.out"),
    });
    await drive(reporters, clock);
    assert.match(out.text, /^·×±°F$/m);
    assert.deepEqual((await readdir(dir)).sort(), ["custom.json", "reports"]);
    assert.deepEqual(await readdir(join(dir, "reports")), ["junit.xml"]);
  });
});

describe("defaultReporterNames", () => {
  it("is list in a terminal, line elsewhere, plus github on GitHub Actions", () => {
    assert.deepEqual(defaultReporterNames({ isTTY: true, env: {} }), ["list"]);
    assert.deepEqual(defaultReporterNames({ isTTY: false, env: { CI: "true" } }), ["line"]);
    assert.deepEqual(defaultReporterNames({ isTTY: false, env: { GITHUB_ACTIONS: "true" } }), [
      "line",
      "github",
    ]);
  });
});
