import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.ts";
import { sharedKubeconfig } from "../support/cluster.ts";
import { tempProject } from "../support/project.ts";

// kuttl's own example (docs/testing/templating.md, test/vars), with ConfigMaps instead of Pods.
const apply = `apiVersion: v1
kind: ConfigMap
metadata:
  name: foo-{{ .Namespace }}-foo-{{ .Vars.var2 }}-baz
data:
  ns: {{ .Namespace }}
`;
const assertFile = (var3: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: foo-{{ .Namespace }}-{{ .Vars.var1 }}-bar-${var3}
data:
  ns: {{ .Namespace }}
`;

test("kuttl .gotmpl.yaml step files render with the test's namespace and --template-var, and their asserts count", async (t) => {
  const kubeconfig = sharedKubeconfig(t);
  if (!kubeconfig) return;
  const root = tempProject({
    "suite1/test1/00-apply.gotmpl.yaml": apply,
    "suite1/test1/00-assert.gotmpl.yaml": assertFile("{{ .Vars.var3 }}"),
    "suite1/test1/notes.txt": "not a step\n",
    // Asserts a name that the apply step does not create: a template that rendered nothing would pass.
    "suite2/test2/00-apply.gotmpl.yaml": apply,
    "suite2/test2/00-assert.gotmpl.yaml": assertFile("other"),
  });
  const args = ["--config", "/dev/null", "--template-var", "var1=foo", "--template-var", "var2=bar,var3=baz"];
  const common = ["--kubeconfig", kubeconfig, "--reporter", "line", "--report-dir", join(root, "report")];
  const passing = await runCli(["test", ...args, ...common, "suite1"], { cwd: root });
  assert.equal(passing.code, 0, passing.stdout + passing.stderr);
  assert.match(passing.stdout, /warning: suite1\/test1\/notes\.txt: not run/);
  const failing = await runCli(["test", ...args, ...common, "--timeout-multiplier", "0.1", "suite2"], {
    cwd: root,
  });
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /foo-kp-test2-[0-9a-f]{6}-foo-bar-other/);
});
