import { Writable } from "node:stream";
import type { Reporter } from "../../src/report/reporter.ts";
import type {
  OperationResult,
  RunInfo,
  RunResult,
  StepPhase,
  StepResult,
  TestInfo,
  TestResult,
} from "../../src/model/result.ts";
import { stripAnsi } from "../../src/report/text.ts";

/**
 * A synthetic run for reporter tests: a passing, a failing (diff, locations, cleanup warning), a
 * flaky and a skipped test, driven through a reporter with a fake clock.
 */

export const run: RunInfo = {
  rootDir: "/work/project",
  cluster: { kind: "local", context: "kubeproof", server: "https://127.0.0.1:6443" },
  workers: 2,
  startedAt: "2026-01-02T03:04:05.000Z",
  artifactsDir: "/work/project/.kubeproof/artifacts",
  reportDir: "/work/project/.kubeproof",
  runId: "run-1",
};

export const START = Date.parse(run.startedAt);

function info(file: string, line: number, name: string, stepNames: string[]): TestInfo {
  return {
    id: `${file}::${name}`,
    name,
    location: { file, line, col: 1 },
    format: "chainsaw",
    labels: {},
    stepNames,
  };
}

export const passing = info("e2e/configmap/chainsaw-test.yaml", 4, "configmap-roundtrip", [
  "create",
  "check",
]);
export const failing = {
  ...info("e2e/widget/chainsaw-test.yaml", 3, "widget-scales-out", ["deploy", "scale"]),
  labels: { team: "widgets" },
};
export const flaky = info("e2e/metrics/chainsaw-test.yaml", 2, "metrics-endpoint", ["probe"]);
export const skipped = info("e2e/upgrade/chainsaw-test.yaml", 1, "upgrade-from-v1", ["upgrade"]);
export const tests: readonly TestInfo[] = [passing, failing, flaky, skipped];

type Op = OperationResult & { phase: StepPhase };

function op(file: string, line: number, type: Op["type"], durationMs: number, extra: Partial<Op> = {}): Op {
  return { type, phase: "try", location: { file, line, col: 7 }, status: "passed", durationMs, ...extra };
}

function step(name: string, file: string, line: number, operations: Op[]): StepResult {
  const failed = operations.some((o) => o.status === "failed");
  return {
    name,
    location: { file, line, col: 5 },
    status: failed ? "failed" : "passed",
    durationMs: operations.reduce((sum, o) => sum + o.durationMs, 0),
    operations,
  };
}

const pf = passing.location.file;
export const passingResult: TestResult = {
  status: "passed",
  durationMs: 1234,
  attempts: [
    {
      status: "passed",
      durationMs: 1234,
      namespace: "kp-pass-1",
      steps: [
        step("create", pf, 7, [op(pf, 9, "apply", 400)]),
        step("check", pf, 12, [op(pf, 14, "assert", 834, { evaluations: 3 })]),
      ],
    },
  ],
};

const ff = failing.location.file;
const diff = [
  "--- expected",
  "+++ actual",
  "@@ -3,4 +3,4 @@",
  " metadata:",
  "   name: big",
  " status:",
  "-  readyReplicas: 3",
  "+  readyReplicas: 1",
  "",
].join("\n");

export const failingResult: TestResult = {
  status: "failed",
  durationMs: 30_021,
  attempts: [
    {
      status: "failed",
      durationMs: 30_021,
      namespace: "kp-widget-7f3a",
      artifactsDir: ".kubeproof/artifacts/widget-scales-out",
      attachments: [
        {
          name: "failure.txt",
          path: ".kubeproof/artifacts/widget-scales-out/failure.txt",
          contentType: "text/plain",
          body: ".status.readyReplicas: expected 3, got 1\n",
        },
        {
          name: "objects/Widget-kp-widget-7f3a-big.yaml",
          path: ".kubeproof/artifacts/widget-scales-out/objects/Widget-kp-widget-7f3a-big.yaml",
          contentType: "application/yaml",
        },
      ],
      cleanupWarnings: ["namespace kp-widget-7f3a still terminating: finalizer example.com/block"],
      error: {
        message: ".status.readyReplicas: expected 3, got 1",
        location: { file: ff, line: 31, col: 11 },
        subject: "example.com/v1/Widget kp-widget-7f3a/big",
        diff,
        more: [
          {
            message: ".status.phase: expected Ready, got Pending",
            location: { file: ff, line: 32, col: 11 },
          },
        ],
      },
      steps: [
        step("deploy", ff, 6, [op(ff, 8, "apply", 500)]),
        step("scale", ff, 20, [
          op(ff, 22, "patch", 120),
          op(ff, 27, "assert", 29_401, {
            status: "failed",
            evaluations: 58,
            error: {
              message: ".status.readyReplicas: expected 3, got 1",
              location: { file: ff, line: 31, col: 11 },
              subject: "example.com/v1/Widget kp-widget-7f3a/big",
              diff,
              more: [
                {
                  message: ".status.phase: expected Ready, got Pending",
                  location: { file: ff, line: 32, col: 11 },
                },
              ],
            },
          }),
          op(ff, 40, "podLogs", 0, { phase: "catch" }),
        ]),
      ],
    },
  ],
};

const mf = flaky.location.file;
export const flakyResult: TestResult = {
  status: "flaky",
  durationMs: 2210,
  attempts: [
    {
      status: "failed",
      durationMs: 1500,
      namespace: "kp-metrics-1",
      artifactsDir: ".kubeproof/artifacts/metrics-endpoint-1",
      attachments: [
        {
          name: "failure.txt",
          path: ".kubeproof/artifacts/metrics-endpoint-1/failure.txt",
          contentType: "text/plain",
        },
      ],
      steps: [
        step("probe", mf, 5, [
          op(mf, 7, "script", 1500, {
            status: "failed",
            error: { message: "script exited with code 7" },
            output: { stdout: "GET /metrics\n", stderr: "curl: (7) Failed to connect\n" },
          }),
        ]),
      ],
    },
    {
      status: "passed",
      durationMs: 710,
      namespace: "kp-metrics-2",
      steps: [step("probe", mf, 5, [op(mf, 7, "script", 710, { output: { stdout: "ok\n" } })])],
    },
  ],
};

export const skippedResult: TestResult = {
  status: "skipped",
  durationMs: 0,
  attempts: [],
  skipReason: "requires --upgrade",
};

export const runResult: RunResult = {
  status: "failed",
  durationMs: 33_500,
  counts: { passed: 1, failed: 1, flaky: 1, skipped: 1, interrupted: 0 },
};

/** A clock the driver advances, so live lines and timestamps are the same on every run. */
export class FakeClock {
  t = START;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/**
 * Feeds the run into a reporter the way the runner would: tests interleave (two workers), the flaky
 * test runs twice. `at` is called between events so a test can look at a TTY mid-run.
 */
export async function drive(
  reporter: Reporter,
  clock: FakeClock,
  at: (moment: string) => void = () => {},
): Promise<void> {
  reporter.onBegin?.(run, tests);
  reporter.onInfo?.("cluster: local cluster ready in 3.1s");
  reporter.onTestBegin?.(passing, 1);
  reporter.onStepBegin?.(passing, { name: "create", index: 0 });
  reporter.onTestBegin?.(failing, 1);
  reporter.onStepBegin?.(failing, { name: "deploy", index: 0 });
  clock.advance(400);
  reporter.onStepEnd?.(passing, passingResult.attempts[0].steps[0]);
  reporter.onStepBegin?.(passing, { name: "check", index: 1 });
  clock.advance(834);
  at("two running");
  reporter.onStepEnd?.(passing, passingResult.attempts[0].steps[1]);
  reporter.onTestEnd?.(passing, passingResult);
  at("one finished");
  reporter.onTestBegin?.(flaky, 1);
  reporter.onStepBegin?.(flaky, { name: "probe", index: 0 });
  clock.advance(1500);
  reporter.onStepEnd?.(flaky, flakyResult.attempts[0].steps[0]);
  reporter.onTestBegin?.(flaky, 2);
  reporter.onStepBegin?.(flaky, { name: "probe", index: 0 });
  clock.advance(710);
  reporter.onStepEnd?.(flaky, flakyResult.attempts[1].steps[0]);
  reporter.onTestEnd?.(flaky, flakyResult);
  reporter.onTestEnd?.(skipped, skippedResult);
  reporter.onStepEnd?.(failing, failingResult.attempts[0].steps[0]);
  reporter.onStepBegin?.(failing, { name: "scale", index: 1 });
  clock.advance(26_577);
  reporter.onStepEnd?.(failing, failingResult.attempts[0].steps[1]);
  reporter.onTestEnd?.(failing, failingResult);
  clock.advance(2000);
  await reporter.onEnd?.(runResult);
}

/** A writable that keeps what was written; `tty` makes it look like a terminal of the given size. */
export class Capture extends Writable {
  text = "";
  isTTY?: boolean;
  columns?: number;
  rows?: number;

  constructor(tty?: { columns: number; rows: number }) {
    super();
    if (tty) {
      this.isTTY = true;
      this.columns = tty.columns;
      this.rows = tty.rows;
    }
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }

  get plain(): string {
    return stripAnsi(this.text);
  }
}

/**
 * What a terminal shows after the output: interprets the few sequences log-update uses (erase line,
 * cursor up, cursor to column 1) and carriage returns, then drops colours.
 */
export function screen(output: string): string {
  const lines: string[] = [""];
  let row = 0;
  let col = 0;
  // eslint-disable-next-line no-control-regex -- parsing terminal escapes
  const token = /\x1b\[(\d*)([A-Za-z])|\r|\n|[^\x1b\r\n]+|\x1b/g;
  for (let m = token.exec(output); m; m = token.exec(output)) {
    const [text, arg, cmd] = m;
    if (cmd !== undefined) {
      const n = arg === "" || arg === undefined ? 1 : Number(arg);
      if (cmd === "K") lines[row] = "";
      else if (cmd === "A") row = Math.max(0, row - n);
      else if (cmd === "G") col = n - 1;
      // Colours (m) and anything else do not move text.
    } else if (text === "\r") col = 0;
    else if (text === "\n") {
      row++;
      col = 0;
      if (lines.length <= row) lines.push("");
    } else if (text !== "\x1b") {
      const line = lines[row] ?? "";
      lines[row] = line.slice(0, col).padEnd(col, " ") + text + line.slice(col + text.length);
      col += text.length;
    }
  }
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  return lines.join("\n");
}
