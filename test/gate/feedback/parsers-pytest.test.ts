import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "../../../src/gate/feedback/parsers/pytest.ts";
import { prepared, ROOTS } from "./support.ts";

describe("pytest parser", () => {
  it("reads failures: full `E` messages (the summary's are cut) at the test file's line", () => {
    assert.deepEqual(parse(prepared("pytest/failures.txt", ROOTS.pytest)), {
      buildErrors: [],
      failures: [
        {
          name: "test_rounds_up",
          file: "tests/test_scaling.py",
          line: 7,
          message: "assert 2 == 3\n +  where 2 = desired_replicas(250, 100)",
          framework: "pytest",
        },
        {
          // Raised in svc/scaling.py:8; the test's own line is where to start.
          name: "test_cores[two-2000]",
          file: "tests/test_scaling.py",
          line: 16,
          message: "ValueError: could not convert string to float: 'two'",
          framework: "pytest",
        },
        {
          name: "TestLimits::test_dict",
          file: "tests/test_scaling.py",
          line: 21,
          message: [
            "AssertionError: assert {'cpu': '1', 'memory': '1Gi'} == {'cpu': '1', 'memory': '2Gi'}",
            "",
            "  Omitting 1 identical items, use -vv to show",
            "  Differing items:",
            "  {'memory': '1Gi'} != {'memory': '2Gi'}",
            "  Use -v to get more diff",
          ].join("\n"),
          framework: "pytest",
        },
      ],
    });
  });

  it("reads a collection error as a build error", () => {
    assert.deepEqual(parse(prepared("pytest/collect-error.txt", ROOTS.pytest)), {
      buildErrors: [
        {
          file: "tests/test_broken.py",
          line: 1,
          message: "ModuleNotFoundError: No module named 'svc.missing'",
          tool: "pytest",
        },
      ],
      failures: [],
    });
  });

  it("reads setup errors as failures of their tests, located in the fixture", () => {
    assert.deepEqual(parse(prepared("pytest/setup-errors.txt", ROOTS.pytest)), {
      buildErrors: [],
      failures: [
        {
          name: "test_rollout",
          file: "tests/conftest.py",
          line: 6,
          message: "RuntimeError: kubeconfig not found at /home/ci/.kube/config",
          framework: "pytest",
        },
        {
          name: "test_uses_unknown",
          file: "tests/test_deploy.py",
          line: 5,
          message: "fixture 'kube_client' not found",
          framework: "pytest",
        },
      ],
    });
  });

  it("uses the short summary alone when the failure sections were cut", () => {
    const text = prepared("pytest/failures.txt", ROOTS.pytest);
    const summary = text.slice(text.indexOf("=== short test summary info"));
    assert.deepEqual(parse(summary).failures, [
      {
        name: "test_rounds_up",
        file: "tests/test_scaling.py",
        message: "assert 2 == 3",
        framework: "pytest",
      },
      {
        name: "test_cores[two-2000]",
        file: "tests/test_scaling.py",
        message: "ValueError: could not co...",
        framework: "pytest",
      },
      {
        name: "TestLimits::test_dict",
        file: "tests/test_scaling.py",
        message: "AssertionError: assert ...",
        framework: "pytest",
      },
    ]);
  });

  it("uses the sections alone without a summary (-rN)", () => {
    const text = prepared("pytest/failures.txt", ROOTS.pytest);
    const sections = text.slice(0, text.indexOf("=== short test summary info"));
    assert.deepEqual(
      parse(sections).failures.map((f) => [f.name, f.file, f.line]),
      [
        ["test_rounds_up", "tests/test_scaling.py", 7],
        ["test_cores[two-2000]", "tests/test_scaling.py", 16],
        ["TestLimits::test_dict", "tests/test_scaling.py", 21],
      ],
    );
  });
});
