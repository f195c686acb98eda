import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/cli.ts";
import { gitRepo } from "./support.ts";

const { NODE_TEST_CONTEXT: _, ...env } = process.env;

describe("kubeproof gate --reporter html", () => {
  it("writes the verdict, tiers, each check with its parsed failures at file:line and its output's end", async () => {
    const root = gitRepo({
      "kubeproof.yaml": `gate:
  tiers:
    - name: fast
      checks:
        - name: lint
          run: "true"
          timeout: 10s
        - name: unit
          run: "printf '%s\\\\n' '--- FAIL: TestWidget (0.01s)' '    widget_test.go:12: want 3, got 1 <script>document.title=1</script>' FAIL; exit 1"
          timeout: 10s
`,
      "go.mod": "module example.com/app\n",
      "widget_test.go": "package app\n",
    });
    const { code, stderr, stdout } = await runCli(
      ["gate", "--reporter", "html", "--report-dir", "out/html"],
      {
        cwd: root,
        env: { ...env, NO_COLOR: "1" },
      },
    );
    assert.equal(code, 1, stderr);
    assert.match(stdout, /feedback written to .*out\/html\/index\.html/);
    const html = readFileSync(join(root, "out/html/index.html"), "utf8");
    assert.match(html, /<h1>kubeproof gate<\/h1><span class="badge s-FAIL">FAIL<\/span>/);
    assert.match(html, /1 of 2 checks did not pass/);
    assert.match(html, /<tr data-status="passed" data-text="fast lint true">/);
    assert.match(html, /<code class="location">widget_test\.go:12<\/code> <b>TestWidget<\/b>/);
    assert.match(
      html,
      /<code id="command-line">kubeproof gate --reporter html --report-dir out\/html<\/code>/,
    );
    // The check's output is text on the page, never markup.
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /want 3, got 1 &lt;script&gt;document\.title=1&lt;\/script&gt;/);
  });

  it("refuses a reporter the gate does not write, and --report-dir without --reporter html (exit 2)", async () => {
    const root = gitRepo({
      "kubeproof.yaml":
        "gate:\n  tiers:\n    - name: fast\n      checks:\n        - { name: a, run: 'true', timeout: 10s }\n",
    });
    const json = await runCli(["gate", "--reporter", "json"], { cwd: root, env });
    assert.equal(json.code, 2);
    assert.match(
      json.stderr,
      /--reporter json: the gate writes html \(its feedback files are --feedback and --feedback-md\)/,
    );
    const dirOnly = await runCli(["gate", "--report-dir", "x"], { cwd: root, env });
    assert.equal(dirOnly.code, 2);
    assert.match(dirOnly.stderr, /--report-dir is where --reporter html writes; add --reporter html/);
  });
});
