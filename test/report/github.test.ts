import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  escapeData,
  escapeProperty,
  formatAnnotation,
  GithubReporter,
  workspacePath,
} from "../../src/report/github.ts";
import { Capture, FakeClock, drive, run } from "./events.ts";

describe("GithubReporter", () => {
  it("annotates the failing key of a failed test as an error and a flaky test as a warning", async () => {
    const out = new Capture();
    const clock = new FakeClock();
    const env = { GITHUB_WORKSPACE: "/work" };
    await drive(new GithubReporter({ stream: out, reportDir: "/unused", now: clock.now, env }), clock);
    const lines = out.text.split("\n");
    assert.equal(lines.length, 3);
    assert.equal(lines[2], "");
    assert.equal(
      lines[0],
      "::error file=project/e2e/widget/chainsaw-test.yaml,line=31,col=11,title=e2e/widget/chainsaw-test.yaml%3A%3Awidget-scales-out::" +
        [
          "widget-scales-out",
          "",
          "step scale › assert at e2e/widget/chainsaw-test.yaml:27:7",
          "on example.com/v1/Widget kp-widget-7f3a/big",
          "",
          ".status.readyReplicas: expected 3, got 1",
          "  at e2e/widget/chainsaw-test.yaml:31:11",
          "",
          "  --- expected",
          "  +++ actual",
          "  @@ -3,4 +3,4 @@",
          "   metadata:",
          "     name: big",
          "   status:",
          "  -  readyReplicas: 3",
          "  +  readyReplicas: 1",
          "",
          "also:",
          "  - .status.phase: expected Ready, got Pending (e2e/widget/chainsaw-test.yaml:32:11)",
          "",
          "cleanup: namespace kp-widget-7f3a still terminating: finalizer example.com/block",
          "namespace: kp-widget-7f3a",
          "artifacts: .kubeproof/artifacts/widget-scales-out",
        ].join("%0A"),
    );
    assert.match(
      lines[1] ?? "",
      /^::warning file=project\/e2e\/metrics\/chainsaw-test.yaml,line=7,col=7,title=e2e\/metrics\/chainsaw-test.yaml%3A%3Ametrics-endpoint \(flaky\)::metrics-endpoint%0A%0Aflaky: attempt 1 of 2 failed/,
    );
  });

  it("turns run errors into error annotations at once, at their location when they have one", () => {
    const out = new Capture();
    const reporter = new GithubReporter({ stream: out, reportDir: "/unused", env: {} });
    reporter.onError({ message: "cluster unreachable: 100%\nretry later" });
    reporter.onError({
      message: "cleanup: namespace kp-x still terminating",
      location: { file: "e2e/a/chainsaw-test.yaml", line: 3, col: 5 },
    });
    assert.equal(
      out.text,
      "::error title=kubeproof::cluster unreachable: 100%25%0Aretry later\n" +
        "::error file=e2e/a/chainsaw-test.yaml,line=3,col=5,title=kubeproof::cleanup: namespace kp-x still terminating\n",
    );
  });
});

describe("workflow command escaping", () => {
  it("escapes %, CR and LF in data, and also : and , in properties", () => {
    assert.equal(escapeData("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
    assert.equal(escapeProperty("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    assert.equal(
      formatAnnotation({ level: "notice", message: "\x1b[31mred\x1b[0m\n", title: "t:1" }),
      "::notice title=t%3A1::red",
    );
  });
});

describe("workspacePath", () => {
  it("makes test paths relative to the checkout when the run's root is inside it", () => {
    assert.equal(workspacePath("e2e/a.yaml", run, { GITHUB_WORKSPACE: "/work" }), "project/e2e/a.yaml");
    assert.equal(workspacePath("e2e/a.yaml", run, { GITHUB_WORKSPACE: "/work/project" }), "e2e/a.yaml");
    assert.equal(workspacePath("e2e/a.yaml", run, { GITHUB_WORKSPACE: "/elsewhere" }), "e2e/a.yaml");
    assert.equal(workspacePath("e2e/a.yaml", run, {}), "e2e/a.yaml");
  });
});
