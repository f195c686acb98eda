import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadProject } from "../../src/load/index.ts";
import type { Operation } from "../../src/model/index.ts";
import { withRenderedResources } from "../../src/ops/render.ts";
import { formatLoadWarning, LoadErrors } from "../../src/source/diagnostics.ts";
import { tempProject } from "../support/project.ts";

const apply = `apiVersion: v1
kind: ConfigMap
metadata:
  name: foo-{{ .Namespace }}-{{ .Vars.var2 }}
data:
  replicas: "{{ .Vars.n }}"
`;
const assertFile =
  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: foo-{{ .Namespace }}-{{ .Vars.var2 }}\n";

describe("kuttl .gotmpl.yaml step files", () => {
  it("become operations that render the file again with the test's namespace and --template-var values", () => {
    const root = tempProject({
      "suite/test1/00-apply.gotmpl.yaml": apply,
      "suite/test1/00-assert.gotmpl.yaml": assertFile,
    });
    const { suite } = loadProject(["suite"], { rootDir: root, templateVars: { var2: "bar", n: 3 } });
    const ops = suite.tests[0]?.steps[0]?.try ?? [];
    assert.deepEqual(
      ops.map((op) => op.type),
      ["apply", "assert"],
    );
    const rendered = ops.map((op: Operation) => withRenderedResources(op, "kp-test1-abc123"));
    assert.deepEqual(
      rendered.map((op) => ("resources" in op ? op.resources.map((r) => r.value) : [])),
      [
        [
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "foo-kp-test1-abc123-bar" },
            data: { replicas: "3" },
          },
        ],
        [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "foo-kp-test1-abc123-bar" } }],
      ],
    );
  });

  it("keep their place among plain step files, each in its own operation", () => {
    const root = tempProject({
      "suite/t/00-a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n",
      "suite/t/00-b.gotmpl.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b-{{ .Namespace }} }\n",
      "suite/t/00-c.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n",
      "suite/t/00-assert.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n",
    });
    const { suite } = loadProject(["suite"], { rootDir: root });
    const applies = (suite.tests[0]?.steps[0]?.try ?? []).filter((op) => op.type === "apply");
    assert.deepEqual(
      applies.map((op) => ("goTemplate" in op && op.goTemplate !== undefined ? op.goTemplate.file : "plain")),
      ["plain", "suite/t/00-b.gotmpl.yaml", "plain"],
    );
  });

  it("stop the load at the template's own position when it does not parse, and refuse kuttl objects in them", () => {
    const root = tempProject({
      "suite/t/00-apply.gotmpl.yaml":
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ if .Vars.x }}a\n",
      "suite/t/00-assert.yaml": "apiVersion: v1\nkind: ConfigMap\n",
      "suite/u/00-step.gotmpl.yaml":
        "apiVersion: kuttl.dev/v1beta1\nkind: TestStep\ncommands: [{ command: echo }]\n",
      "suite/u/00-assert.yaml": "apiVersion: v1\nkind: ConfigMap\n",
    });
    assert.throws(
      () => loadProject(["suite"], { rootDir: root }),
      (error: unknown) => {
        assert.ok(error instanceof LoadErrors);
        assert.match(
          error.message,
          /^suite\/t\/00-apply\.gotmpl\.yaml:4:9: template: unclosed \{\{if\}\}: missing \{\{end\}\}/m,
        );
        assert.match(
          error.message,
          /suite\/u\/00-step\.gotmpl\.yaml \(rendered\):2:1: .*a TestStep in a \.gotmpl\.yaml file is not supported/,
        );
        return true;
      },
    );
  });
});

describe("files of a kuttl test case that nothing runs", () => {
  it("each get a warning; step files, referenced files and scripts the commands run do not", () => {
    const root = tempProject({
      "suite/t/00-step.yaml":
        "apiVersion: kuttl.dev/v1beta1\nkind: TestStep\napply: [extra.yaml]\ncommands: [{ script: ./check.sh }]\n",
      "suite/t/00-assert.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n",
      "suite/t/extra.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n",
      "suite/t/check.sh": "true\n",
      "suite/t/01-install.yml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: d }\n",
      "suite/t/02-dir/ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: e }\n",
      "suite/t/02-dir/notes.txt": "x\n",
      "suite/t/README.md": "about\n",
      "suite/t/.gitkeep": "",
    });
    const { suite } = loadProject(["suite"], { rootDir: root });
    assert.deepEqual((suite.warnings ?? []).map(formatLoadWarning), [
      "warning: suite/t/01-install.yml: not run: kuttl reads step files ending in .yaml only (rename it to .yaml)",
      "warning: suite/t/02-dir/notes.txt: not run: in a step directory, kuttl reads the .yaml files only",
      "warning: suite/t/README.md: not run: not a kuttl step file (<index>-<name>.yaml or .gotmpl.yaml), and no command of the test names it",
    ]);
  });
});
