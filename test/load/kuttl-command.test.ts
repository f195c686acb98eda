import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  commandLineProblem,
  commandOperation,
  expandVariables,
  splitWords,
  type CommandSpec,
} from "../../src/load/kuttl-command.ts";

const location = { file: "t/00-step.yaml", line: 4, col: 5 };

function convert(spec: CommandSpec, retry = false) {
  return commandOperation(spec, { location, timeoutMs: 30_000, continueOnError: false, retry });
}

/** The argv a command line turns into, or the sh line that computes it at run time. */
function argvOrScript(line: string, namespaced = false): string[] | string {
  const op = convert({ command: line, namespaced });
  return op.type === "command" ? [op.entrypoint, ...op.args] : op.content;
}

describe("kuttl command lines: Go's os.Expand", () => {
  it("keeps variables for run time, $$ as a literal $, and drops what no environment holds", () => {
    assert.deepEqual(expandVariables("a $NAMESPACE ${HOME}x $$ $1 ${} ${a-b} end$"), [
      "a ",
      { variable: "NAMESPACE" },
      " ",
      { variable: "HOME" },
      "x $    end$",
    ]);
  });

  it("reads a name up to the first character that cannot be in one", () => {
    assert.deepEqual(expandVariables("--ns=$NAMESPACE.svc"), ["--ns=", { variable: "NAMESPACE" }, ".svc"]);
    // `${` never closed: Go eats the two characters.
    assert.deepEqual(expandVariables("x ${oops"), ["x oops"]);
  });
});

describe("kuttl command lines: google/shlex splitting", () => {
  const words = (line: string) =>
    splitWords(expandVariables(line)).map((w) =>
      w.map((p) => ("text" in p ? p.text : `<${p.variable}${p.quoted ? " quoted" : ""}>`)).join(""),
    );

  it("splits on blanks, honours quotes and backslashes, keeps empty quoted words", () => {
    assert.deepEqual(words(`kubectl  get "a b" 'c "d"' e\\ f "g\\"h" ''`), [
      "kubectl",
      "get",
      "a b",
      'c "d"',
      "e f",
      'g"h',
      "",
    ]);
  });

  it("skips a comment that starts a word, not a # inside one", () => {
    assert.deepEqual(words("echo a#b # the rest\nls"), ["echo", "a#b", "ls"]);
  });

  it("marks variables inside quotes, which kuttl expands even in single quotes", () => {
    assert.deepEqual(words(`echo $A "x$B" '$C'`), ["echo", "<A>", "x<B quoted>", "<C quoted>"]);
  });

  it("says why a command line cannot be split", () => {
    assert.equal(commandLineProblem(`echo "open`), "the command line has a quote that is never closed");
    assert.equal(commandLineProblem("echo \\"), "the command line ends with an escape character (\\)");
    assert.equal(commandLineProblem("  # only a comment"), "the command line is empty");
    assert.equal(commandLineProblem("echo ok"), undefined);
  });
});

describe("kuttl commands as operations", () => {
  it("a command line without variables is a command with its argv", () => {
    assert.deepEqual(convert({ command: `kubectl get cm "my map"`, skipLogOutput: true }), {
      type: "command",
      location,
      timeoutMs: 30_000,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      env: [],
      skipLogOutput: true,
      entrypoint: "kubectl",
      args: ["get", "cm", "my map"],
    });
  });

  it("variables make it a sh line that expands them as kuttl's expand-then-split does", () => {
    assert.deepEqual(convert({ command: "kubectl get cm -n $NAMESPACE" }), {
      type: "script",
      location,
      timeoutMs: 30_000,
      bindings: [],
      outputs: [],
      template: false,
      continueOnError: false,
      env: [],
      skipLogOutput: false,
      content: "kubectl get cm -n ${NAMESPACE}",
      description: "kubectl get cm -n $NAMESPACE",
      label: 'command "kubectl get cm -n $NAMESPACE"',
    });
    // Unquoted values split into words (and vanish when empty); globbing stays off.
    assert.equal(
      argvOrScript("$KUBECTL apply $FLAGS -f 'my file.yaml'"),
      "set -f; ${KUBECTL} apply ${FLAGS} -f 'my file.yaml'",
    );
    assert.equal(argvOrScript(`echo "ns: $NAMESPACE" it\\'s`), `echo 'ns: '"\${NAMESPACE}" 'it'\\''s'`);
  });

  it("namespaced appends --namespace unless -n or --namespace is given a value", () => {
    assert.equal(argvOrScript("kubectl get pods", true), 'kubectl get pods --namespace "${NAMESPACE}"');
    assert.deepEqual(argvOrScript("kubectl get pods -n kube-system", true), [
      "kubectl",
      "get",
      "pods",
      "-n",
      "kube-system",
    ]);
    assert.deepEqual(argvOrScript("kubectl get pods --namespace=x", true), [
      "kubectl",
      "get",
      "pods",
      "--namespace=x",
    ]);
    assert.deepEqual(argvOrScript("kubectl get pods -nx", true), ["kubectl", "get", "pods", "-nx"]);
    assert.equal(argvOrScript("kubectl get pods -n $NS", true), "set -f; kubectl get pods -n ${NS}");
    // After --, -n belongs to the program being run.
    assert.equal(
      argvOrScript("kubectl exec p -- ls -n", true),
      'kubectl exec p -- ls -n --namespace "${NAMESPACE}"',
    );
  });

  it("assert commands retry until they pass, as kuttl re-checks them with the asserts", () => {
    const command = convert({ command: "kubectl get cm settings" }, true);
    assert.equal(
      command.type === "script" && command.content,
      "until kubectl get cm settings; do sleep 1; done",
    );
    const script = convert({ script: "test -f done\nexit 0" }, true);
    assert.equal(
      script.type === "script" && script.content,
      "until (\ntest -f done\nexit 0\n); do sleep 1; done",
    );
    // Failures name what the user wrote, not the loop.
    assert.equal(script.type === "script" && script.label, 'script "test -f done"');
    const withVariable = convert({ command: "test -f $NAMESPACE-done" }, true);
    assert.equal(withVariable.type === "script" && withVariable.label, 'command "test -f $NAMESPACE-done"');
  });

  it("a script runs as written with sh -c", () => {
    const op = convert({ script: 'echo "$NAMESPACE" | wc -c' });
    assert.equal(op.type, "script");
    assert.equal(op.type === "script" && op.content, 'echo "$NAMESPACE" | wc -c');
    assert.equal(op.type === "script" && op.shell, undefined);
  });
});
