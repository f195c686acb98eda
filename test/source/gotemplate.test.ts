import assert from "node:assert/strict";
import { test } from "node:test";
import { GoTemplateError, renderGoTemplate } from "../../src/source/gotemplate.ts";

const data = {
  Namespace: "kuttl-ns",
  Vars: { var1: "foo", n: 3, list: ["a", "b"], map: { b: 2, a: 1 }, on: true },
};
const render = (source: string): string => renderGoTemplate(source, data);

test("fields, variables and pipelines print as Go prints them", () => {
  assert.equal(render("name: foo-{{ .Namespace }}-{{ .Vars.var1 }}"), "name: foo-kuttl-ns-foo");
  assert.equal(
    render("{{ .Vars.missing }}|{{ .Vars.list }}|{{ .Vars.map }}|{{ .Vars.n }}"),
    "<no value>|[a b]|map[a:1 b:2]|3",
  );
  assert.equal(render('{{ $x := .Vars.var1 }}{{ $x }}-{{ .Vars.var1 | printf "%s-x" }}'), "foo-foo-x");
  assert.equal(render('{{ printf "%s-%03d" .Vars.var1 .Vars.n }}'), "foo-003");
  assert.equal(render("{{ .Vars.var1 | len }}"), "3");
  assert.equal(render('{{ index .Vars.list 1 }} {{ index .Vars "var1" }}'), "b foo");
});

test("if, else if, range and with, with trim markers and comments", () => {
  assert.equal(render("{{ if .Vars.on }}yes{{ else }}no{{ end }}"), "yes");
  assert.equal(render('{{ if eq .Vars.var1 "x" }}x{{ else if eq .Vars.var1 "foo" }}foo{{ end }}'), "foo");
  assert.equal(render("{{ range $i, $v := .Vars.list }}{{ $i }}={{ $v }};{{ end }}"), "0=a;1=b;");
  assert.equal(render("{{ range .Vars.missing }}x{{ else }}empty{{ end }}"), "empty");
  assert.equal(render("{{ with .Vars.map }}{{ .a }}{{ end }}"), "1");
  assert.equal(render("a  {{- /* gone */ -}}  b\n{{- .Vars.n }}"), "ab3");
  assert.equal(
    render("{{ and .Vars.on .Vars.n }} {{ or .Vars.missing .Vars.var1 }} {{ not .Vars.on }}"),
    "3 foo false",
  );
});

test("errors name the line and column of the action", () => {
  const at = (source: string): string => {
    try {
      render(source);
      return "no error";
    } catch (error) {
      assert.ok(error instanceof GoTemplateError);
      return `${error.line}:${error.col} ${error.message}`;
    }
  };
  assert.equal(at("a: 1\nb: {{ .Vars.var1.sub }}"), "2:4 can't evaluate field sub in type string");
  assert.equal(at("a: {{ if .Vars.on }}"), "1:4 unclosed {{if}}: missing {{end}}");
  assert.equal(at("{{ nosuch 1 }}"), '1:1 function "nosuch" not defined');
  assert.equal(at("{{ .Vars.missing.sub }}"), "1:1 nil pointer evaluating interface {}.sub");
  assert.equal(at('{{ template "x" }}'), "1:1 {{template}} is not supported in kuttl templates here");
});

test("sprig's string functions that kuttl's own suites use, in sprig's argument order", () => {
  // kuttl's test/vars suite names its Pod with `{{ "var3" | b64enc | b64dec }}`.
  assert.equal(render('{{ "var3" | b64enc }}|{{ "var3" | b64enc | b64dec }}'), "dmFyMw==|var3");
  assert.equal(render("{{ .Vars.var1 | upper }}-{{ upper .Vars.var1 | lower }}"), "FOO-foo");
  assert.equal(
    render('{{ .Namespace | trimPrefix "kuttl-" }}|{{ trimSuffix "-ns" .Namespace }}'),
    "ns|kuttl",
  );
  assert.equal(render('{{ .Namespace | replace "-" "_" }}|{{ "  x " | trim }}'), "kuttl_ns|x");
  assert.equal(render("{{ .Vars.var1 | quote }} {{ .Vars.var1 | squote }}"), "\"foo\" 'foo'");
  assert.equal(render('{{ if hasPrefix "kuttl" .Namespace }}{{ contains "-" .Namespace }}{{ end }}'), "true");
  assert.throws(() => render('{{ "not base64!" | b64dec }}'), /b64dec: illegal base64 data: "not base64!"/);
});
