import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Bindings } from "../../src/template/bindings.ts";
import { evaluate } from "../../src/template/jmespath.ts";

const run = (expression: string, input: unknown = null): unknown =>
  evaluate(expression, input, Bindings.empty());

// Most expectations are the cases of kyverno-json pkg/jp/kyverno/functions_test.go.
describe("string and collection functions", () => {
  const cases: [string, unknown, unknown][] = [
    ["compare('a', 'a')", null, 0],
    ["compare('a', 'b')", null, -1],
    ["compare('b', 'a')", null, 1],
    ["equal_fold('Go', 'go')", null, true],
    ["equal_fold('a', 'b')", null, false],
    ["replace('Lorem ipsum dolor sit amet', 'ipsum', 'muspi', `-1`)", null, "Lorem muspi dolor sit amet"],
    [
      "replace('Lorem ipsum ipsum ipsum dolor sit amet', 'ipsum', 'muspi', `1`)",
      null,
      "Lorem muspi ipsum ipsum dolor sit amet",
    ],
    ["replace('abc', '', '-', `-1`)", null, "-a-b-c-"],
    ["replace('aaa', 'a', 'b')", null, "bbb"],
    ["replace_all('Lorem ipsum dolor sit amet', 'ipsum', 'muspi')", null, "Lorem muspi dolor sit amet"],
    ["to_upper('a#%&123Bc')", null, "A#%&123BC"],
    ["to_lower('a#%&123Bc')", null, "a#%&123bc"],
    ["trim('\u00a1\u00a1\u00a1Hello, Gophers!!!', '!\u00a1')", null, "Hello, Gophers"],
    ["trim('  both  ')", null, "both"],
    ["trim_prefix('\u00a1\u00a1\u00a1Hello, Gophers!!!', '\u00a1\u00a1\u00a1Hello, ')", null, "Gophers!!!"],
    ["trim_prefix('abc', 'x')", null, "abc"],
    ["split('Hello, Gophers', ', ')", null, ["Hello", "Gophers"]],
    ["split('abc', '')", null, ["a", "b", "c"]],
    ["split('a,b,c', ',', `1`)", null, ["a", "b,c"]],
    ["regex_match('12.*', foo)", { foo: "hgf'b1a2r'b12g" }, true],
    ["regex_match('12.*', abs(foo))", { foo: -12 }, true],
    ["regex_match('^x$', 'y')", null, false],
    ["pattern_match('prefix-*', foo)", { foo: "prefix-foo" }, true],
    ["pattern_match('12*', abs(foo))", { foo: -12 }, true],
    ["pattern_match('a?c', 'abc')", null, true],
    ["pattern_match('a?c', 'ac')", null, false],
    ["wildcard('*.example.com', 'www.example.com')", null, true],
    [
      "regex_replace_all('([Hh]e|G)l', spec.field, '${2}G')",
      { spec: { field: "Hello world, helworldlo" } },
      "Glo world, Gworldlo",
    ],
    ["regex_replace_all('(\\w+)@(\\w+)', 'me@host', '$2 at ${1}')", null, "host at me"],
    [
      "regex_replace_all_literal('[Hh]el?', spec.field, 'G')",
      { spec: { field: "Hello world, helworldlo" } },
      "Glo world, Gworldlo",
    ],
    ["regex_replace_all_literal('a', 'aaa', '$1')", null, "$1$1$1"],
    [
      'label_match(`{"app": "test-app"}`, metadata.labels)',
      { metadata: { labels: { app: "test-app", "controller-name": "c" } } },
      true,
    ],
    [
      'label_match(`{"app": "test-app2"}`, metadata.labels)',
      { metadata: { labels: { app: "test-app" } } },
      false,
    ],
    [
      'label_match(`{"app.kubernetes.io/name": "test-app"}`, metadata.labels)',
      { metadata: { labels: { app: "test-app" } } },
      false,
    ],
    ["to_boolean('TRue')", null, true],
    ["to_boolean('FaLse')", null, false],
    ["base64_decode('SGVsbG8sIHdvcmxkIQ==')", null, "Hello, world!"],
    ["base64_encode('Hello, world!')", null, "SGVsbG8sIHdvcmxkIQ=="],
    ["base64_decode(data.example2)", { data: { example2: "Rm9vQmFy" } }, "FooBar"],
    ["path_canonicalize('///')", null, "/"],
    ["path_canonicalize('/var/run///containerd////')", null, "/var/run/containerd"],
    ["path_canonicalize('/run/../etc')", null, "/etc"],
    ["path_canonicalize('///etc*')", null, "/etc*"],
    ["path_canonicalize('/../../')", null, "/"],
    ["truncate('Lorem ipsum dolor sit amet', `5`)", null, "Lorem"],
    ["truncate('Lorem ipsum', `2.6`)", null, "Lo"],
    ["truncate('Lorem ipsum', `-1`)", null, ""],
    ["truncate('Lorem ipsum', `40`)", null, "Lorem ipsum"],
    ['parse_json(\'{"a": "b"}\').a', null, "b"],
    ['parse_json(\'[1, 2, {"a": {"b": {"c": [1, 2]}}}]\')[2].a.b.c[1]', null, 2],
    ['to_string(parse_json(\'[1.2,true,{"a":{"a":"b"}}]\'))', null, '[1.2,true,{"a":{"a":"b"}}]'],
    ["json_parse('{\"x\": 1}').x", null, 1],
    ["parse_yaml('a: b')", null, { a: "b" }],
    ["parse_yaml('foo: ~\nbar: null')", null, { foo: null, bar: null }],
    ['lookup(`{"key1": "value1"}`, \'key1\')', null, "value1"],
    ['lookup(`{"key1": "value1"}`, \'key2\')', null, null],
    ['lookup(`["item0"]`, `-1`)', null, null],
    ['lookup(`["item0", "item1"]`, `0.99999999999999999999999999999999999999999999`)', null, "item1"],
    [
      'items(`{"key1": "value1", "key2": "value2"}`, \'myKey\', \'myValue\')',
      null,
      [
        { myKey: "key1", myValue: "value1" },
        { myKey: "key2", myValue: "value2" },
      ],
    ],
    [
      "items(`[\"A\", \"B\"]`, 'k', 'v')",
      null,
      [
        { k: 0, v: "A" },
        { k: 1, v: "B" },
      ],
    ],
    ['items(`{"a": 1}`)', null, [["a", 1]]],
    ['object_from_lists(`["key1", "key2"]`, `[1]`)', null, { key1: 1, key2: null }],
    ['at(`["a", "b"]`, `1`)', null, "b"],
    ["concat('foo', 'bar')", null, "foobar"],
    ["trim_space('  \t hi \n')", null, "hi"],
    ["as_string('x')", null, "x"],
    ["as_string(`1`)", null, null],
    ["to_string(@)", { b: 1, a: "<&>" }, '{"a":"\\u003c\\u0026\\u003e","b":1}'],
    ["to_string('already')", null, "already"],
    ["to_number('1.5e3')", null, 1500],
    ["to_number(' 1')", null, null],
    ["to_number('')", null, null],
    ["to_number(`true`)", null, null],
    ["semver_compare('4.1.3', '>=4.1.x')", null, true],
    ["semver_compare('4.1.3', '!4.x.x')", null, false],
    ["semver_compare('1.8.6', '>1.0.0 <2.0.0')", null, true],
    ["semver_compare('2.1.5', '<2.0.0 || >=3.0.0')", null, false],
  ];
  for (const [expression, input, expected] of cases) {
    it(`${expression} = ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(run(expression, input), expected));
  }

  const failures: string[] = [
    "to_boolean('FaLsee')",
    "to_boolean(`1`)",
    "base64_decode('not base64!')",
    "base64_decode('Zm9v=')",
    "lookup(`{}`, `123`)",
    "lookup(`[]`, 'abc')",
    "lookup(`[]`, `1.5`)",
    "at(`[]`, `0`)",
    "regex_match('(', 'x')",
    "parse_json('{')",
    "replace('a', 'b')",
    "x509_decode('x')",
    "random('[a-z]{3}')",
  ];
  for (const expression of failures) {
    it(`${expression} fails`, () => assert.throws(() => run(expression)));
  }

  it("env() reads the process environment and returns '' when unset (Chainsaw docs: env('MY_ENV_VAR') == 'foo')", () => {
    process.env.KUBEPROOF_TEST_ENV_VAR = "foo";
    try {
      assert.equal(run("env('KUBEPROOF_TEST_ENV_VAR') == 'foo'"), true);
    } finally {
      delete process.env.KUBEPROOF_TEST_ENV_VAR;
    }
    assert.equal(run("env('KUBEPROOF_TEST_ENV_VAR')"), "");
  });
});
