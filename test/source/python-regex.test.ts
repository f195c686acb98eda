import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findAll } from "../../src/ops/assert-logs/judge.ts";
import { translatePythonRegex } from "../../src/source/python-regex.ts";

/** [pattern, text, re.findall(pattern, text)] as Python 3.11 computed them. */
const PYTHON: [string, string, (string | string[])[]][] = JSON.parse(
  String.raw`[["hello (\\w+)", "hello world\nhello there\n", ["world", "there"]], ["(?P<word>\\w+)=(?P=word)", "a=a b=c cc=cc", ["a", "cc"]], ["end\\Z", "the end", ["end"]], ["end\\Z", "the end\n", []], ["end$", "the end\n", ["end"]], ["(?m)^line \\d$", "line 1\nline 2\nx", ["line 1", "line 2"]], ["(?i)HELLO", "hello Hello", ["hello", "Hello"]], ["(?s)a.b", "a\nb", ["a\nb"]], ["a.b", "a\nb a\rb", ["a\rb"]], ["[]x]+", "]]x y", ["]]x"]], ["\\Astart", "start start", ["start"]], ["a{,2}b", "aaab", ["aab"]], ["{foo}", "x{foo}", ["{foo}"]], ["(\\d+)-(\\d+)", "1-2 3-4", [["1", "2"], ["3", "4"]]], ["touchedfile", "touchedfile\nother\ntouchedfile", ["touchedfile", "touchedfile"]], ["x(?#comment)y", "xy", ["xy"]]]`,
);

describe("Python regexes in JavaScript", () => {
  for (const [pattern, text, expected] of PYTHON) {
    it(`${pattern} finds what re.findall finds`, () => {
      const translated = translatePythonRegex(pattern);
      assert.ok(translated.ok, JSON.stringify(translated));
      assert.deepEqual(findAll(text, new RegExp(translated.source, translated.flags)), expected);
    });
  }

  const refused: [string, RegExp, number][] = [
    ["(?x) a b # comment", /verbose/, 0],
    ["ab(?i)c", /only translated at the start/, 2],
    ["(?i:scoped)", /only translated at the start/, 0],
    ["(?>atomic)", /atomic/, 0],
    ["a++", /possessive/, 2],
    ["(a)?(?(1)b|c)", /conditional/, 4],
    ["\\N{DASH}", /named characters/, 0],
    ["[abc", /unterminated/, 0],
  ];
  for (const [pattern, message, offset] of refused) {
    it(`refuses ${pattern} at offset ${offset}, saying what to write instead`, () => {
      const translated = translatePythonRegex(pattern);
      assert.equal(translated.ok, false);
      if (translated.ok) return;
      assert.match(translated.message, message);
      assert.equal(translated.offset, offset);
      assert.ok(translated.hint.length > 0);
    });
  }
});
