import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";

const fixtures = fileURLToPath(new URL("../fixtures/e2e/", import.meta.url));
const run = promisify(execFile);

/** Debian's chromium, which .ci/run installs; elsewhere the browser half is skipped with the reason. */
async function chromium(t: TestContext): Promise<string | undefined> {
  for (const name of ["chromium", "chromium-browser"]) {
    try {
      const { stdout } = await run("sh", ["-c", `command -v ${name}`]);
      if (stdout.trim() !== "") return stdout.trim();
    } catch {
      // not this name
    }
  }
  if (process.env.CI) assert.fail("chromium is not installed (.ci/run installs it)");
  t.skip("no chromium on this machine (apt-get install chromium)");
  return undefined;
}

/** The page's DOM after its script ran, as headless Chromium serializes it. */
async function dom(browser: string, url: string): Promise<string> {
  const { stdout } = await run(
    browser,
    ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=2000", "--dump-dom", url],
    { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** The overview rows' names and whether the filter hid them. */
function rows(html: string): { name: string; hidden: boolean }[] {
  return [
    ...html.matchAll(
      /<tr data-status="[^"]*" data-text="[^"]*"( hidden="")?><td>.*?<a href="#t\d+">([^<]*)<\/a>/g,
    ),
  ].map((m) => ({ name: m[2] ?? "", hidden: m[1] !== undefined }));
}

test("--reporter html on a real run: counts, the failure's diff and file:line:col, logs, filtering, inert injections", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const dir = await mkdtemp(join(tmpdir(), "kp-html-"));
  const reportDir = join(dir, "report");
  const result = await runCli(
    [
      "test",
      "html-report",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line,html",
      "--report-dir",
      reportDir,
      "--retries",
      "1",
      "--workers",
      "2",
      "--set",
      `marker=${join(dir, "marker")}`,
      "--set",
      `log=${join(dir, "talker.log")}`,
    ],
    { cwd: fixtures },
  );
  assert.equal(result.code, 1, result.stdout + result.stderr);
  const html = await readFile(join(reportDir, "index.html"), "utf8");

  // The page as written: counts, the cluster, the failure with its diff and the failing key's location.
  assert.match(html, /id="count-passed"><b>1<\/b>passed/);
  assert.match(html, /id="count-failed"><b>1<\/b>failed/);
  assert.match(html, /id="count-flaky"><b>1<\/b>flaky/);
  assert.match(html, /id="count-skipped"><b>1<\/b>skipped/);
  assert.match(html, /<dt>version<\/dt><dd>v1\.\d+\.\d+/);
  assert.match(html, /<dt>nodes<\/dt><dd>\d+ \(\d+ ready\)/);
  assert.match(html, /<code id="command-line">kubeproof test html-report --kubeconfig /);
  assert.match(html, /<code class="location">html-report\/chainsaw-test\.yaml:79:17<\/code>/);
  assert.match(html, /<span class="removed">- {2}greeting: hello<\/span>/);
  assert.match(
    html,
    /<span class="added">\+ {2}greeting: &lt;script&gt;document\.title=&quot;pwned&quot;&lt;\/script&gt;<\/span>/,
  );
  assert.match(html, /data-name="logs\/talker_main\.log"/);
  assert.match(html, /data-name="events\.txt"/);
  assert.match(html, /first attempt fails/);
  assert.equal(html.match(/<script/g)?.length, 1, "the page's own script is the only one");

  const browser = await chromium(t);
  if (!browser) return;
  const page = pathToFileURL(join(reportDir, "index.html")).href;
  const plain = await dom(browser, page);
  // The injected script did not run (it would retitle the page) and the injected image is text.
  assert.match(plain, /<title>kubeproof test report<\/title>/);
  assert.doesNotMatch(plain, /<img/i);
  assert.match(plain, /&lt;img src=x onerror=/);
  assert.deepEqual(
    rows(plain).map((r) => [r.name, r.hidden]),
    [
      ["passes", false],
      ["wrong-greeting", false],
      ["flaky", false],
      ["not-today", false],
    ],
  );
  assert.deepEqual(
    rows(await dom(browser, `${page}#?s=failed,flaky`))
      .filter((r) => !r.hidden)
      .map((r) => r.name),
    ["wrong-greeting", "flaky"],
  );
  assert.deepEqual(
    rows(await dom(browser, `${page}#?q=greeting`))
      .filter((r) => !r.hidden)
      .map((r) => r.name),
    ["wrong-greeting"],
  );
});

test("report.format: html in the configuration writes the HTML report too", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const reportDir = join(await mkdtemp(join(tmpdir(), "kp-html-config-")), "report");
  const result = await runCli(
    [
      "test",
      "html-config",
      "--config",
      "html-config/kubeproof.yaml",
      "--kubeconfig",
      kubeconfig,
      "--reporter",
      "line",
      "--report-dir",
      reportDir,
    ],
    { cwd: fixtures },
  );
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.doesNotMatch(result.stderr, /warning/);
  const html = await readFile(join(reportDir, "index.html"), "utf8");
  assert.match(html, /id="count-passed"><b>1<\/b>passed/);
  assert.match(html, /<a href="#t0">configured<\/a>/);
});
