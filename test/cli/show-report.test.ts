import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runCli, startCli } from "../support/cli.ts";
import { waitUntil } from "../support/wait.ts";

let dir = "";
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "kp-show-report-"));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("show-report serves the report folder on loopback until Ctrl-C, then exits 130", async () => {
  const report = join(dir, "report");
  await mkdir(join(report, "artifacts"), { recursive: true });
  await writeFile(join(report, "index.html"), "<!doctype html><title>r</title>");
  await writeFile(join(report, "artifacts", "big.log"), "a long log\n");
  await writeFile(join(dir, "secret.txt"), "outside the report\n");
  const run = startCli(["show-report", report, "--port", "0"]);
  const url = await waitUntil("the URL", () =>
    Promise.resolve(/http:\/\/127\.0\.0\.1:\d+\//.exec(run.output().stdout)?.[0]),
  );
  const index = await fetch(url);
  assert.equal(index.status, 200);
  assert.match(index.headers.get("content-type") ?? "", /text\/html/);
  assert.equal(await index.text(), "<!doctype html><title>r</title>");
  assert.equal(await (await fetch(`${url}artifacts/big.log`)).text(), "a long log\n");
  // Nothing outside the folder, however the path is spelled.
  assert.equal((await fetch(`${url}%2e%2e/secret.txt`)).status, 404);
  assert.equal((await fetch(`${url}..%2fsecret.txt`)).status, 404);
  assert.equal((await fetch(`${url}missing.html`)).status, 404);
  run.child.kill("SIGINT");
  const result = await run.result;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stdout, /Press Ctrl-C to stop/);
});

test("show-report on a folder without index.html is a usage error naming the fix", async () => {
  const result = await runCli(["show-report", join(dir, "nothing-here")]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /nothing-here\/index\.html: no HTML report there; write one with `kubeproof test --reporter html/,
  );
});
