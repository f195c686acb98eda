import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { JinjaError, renderJinja } from "../../src/source/jinja.ts";

/** Golden outputs of real Jinja2 (tools/jinja-golden.py) against kubeproof's renderer. */
const DIR = join(import.meta.dirname, "..", "fixtures", "jinja");
const context = JSON.parse(readFileSync(join(DIR, "context.json"), "utf8")) as Record<string, unknown>;
const cases = readdirSync(DIR).filter((f) => f.endsWith(".j2"));
/** Jinja2 renders these; kubeproof refuses them on purpose (statements are outside the subset). */
const REFUSED = new Set(["13-statement.j2"]);

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

describe("Jinja2 rendering against real Jinja2's golden outputs", () => {
  it("has cases", () => assert.ok(cases.length >= 10));
  for (const name of cases) {
    it(name, () => {
      const template = readFileSync(join(DIR, name), "utf8");
      const golden = readFileSync(join(DIR, "golden", name.replace(/\.j2$/, ".out")), "utf8");
      if (REFUSED.has(name)) {
        assert.throws(() => renderJinja(template, context), JinjaError);
        return;
      }
      if (!golden.startsWith("ERROR ")) {
        assert.equal(renderJinja(template, context).text, golden);
        return;
      }
      const error = (() => {
        try {
          renderJinja(template, context);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(error instanceof JinjaError, `${name} should fail as in Jinja2 (${golden})`);
      const line = /^ERROR (\d+)$/.exec(golden)?.[1];
      // Jinja2 reports an unclosed tag at the end of input; kubeproof at its opening, on an earlier line.
      if (line !== undefined) assert.ok(lineOf(template, error.offset) <= Number(line));
    });
  }
});

describe("Jinja2 rendering: positions", () => {
  it("maps an output offset back to the template offset it came from", () => {
    const template = "a: {{ namespace }}\nb: literal\n";
    const rendered = renderJinja(template, { namespace: "a-long-namespace" });
    assert.equal(rendered.text, "a: a-long-namespace\nb: literal");
    const at = rendered.text.indexOf("literal");
    assert.equal(rendered.sourceOffset(at), template.indexOf("literal"));
    assert.equal(rendered.sourceOffset(rendered.text.indexOf("long")), template.indexOf("{{"));
  });

  it("points an unknown filter at its name", () => {
    const template = "x\ny: {{ a | nosuch }}";
    assert.throws(
      () => renderJinja(template, { a: 1 }),
      (e: unknown) => e instanceof JinjaError && e.offset === template.indexOf("nosuch"),
    );
  });
});
