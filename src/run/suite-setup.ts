import { isAbsolute, join } from "node:path";
import type {
  ApplyOperation,
  CommandOperation,
  FailureDetail,
  Operation,
  ScriptOperation,
  SetupCommand,
  SourceDocument,
  SuiteSetup,
  Test,
  TestResult,
  WaitOperation,
} from "../model/index.ts";
import { formatLocation } from "../model/index.ts";
import { runOperation, type OperationContext } from "../ops/index.ts";
import { processEnvironment } from "../ops/common.ts";
import { expandArgs } from "../ops/expand.ts";
import { OperationError } from "../ops/types.ts";
import { Bindings } from "../template/bindings.ts";
import { templateString } from "../template/template.ts";
import { startBackground, type BackgroundProcess } from "./background.ts";
import type { RunEnvironment } from "./execute-test.ts";
import { deadline } from "../source/deadline.ts";
import { errorMessage } from "../source/errors.ts";

/**
 * Suite set-ups (kuttl's TestSuite crdDir, manifestDirs and commands; kubeproof.yaml's `setup`), run
 * once before the first test as kuttl's harness does: CRDs applied and waited for until Established,
 * manifests applied, commands run in order, background ones left running. A failure stops there and
 * fails every test of the run with its message. Nothing applied is deleted at the end (kuttl deletes
 * none of it); background commands are stopped by `stop`, after the last test.
 */
export interface SetupRun {
  /** When a set-up failed: the result each test of the run reports instead of running. */
  failedResult(): TestResult | undefined;
  /** Stops the background commands. Call once, after the last test; nothing to do when none started. */
  stop(): Promise<void>;
}

/** Runs the set-ups the tests need: the configuration's, then each kuttl suite's, each once. */
export async function runSuiteSetup(tests: readonly Test[], env: RunEnvironment): Promise<SetupRun> {
  const background: BackgroundProcess[] = [];
  const leftovers: (() => Promise<void>)[] = [];
  let failure: FailureDetail | undefined;
  for (const setup of setupsOf(tests, env)) {
    failure = await runSetup({ setup, env, background, leftovers });
    if (failure !== undefined) break;
  }
  if (failure !== undefined && !env.interrupt.aborted) {
    env.reporter.onError(failure);
  }
  return {
    failedResult: () =>
      failure === undefined
        ? undefined
        : {
            status: "failed",
            durationMs: 0,
            attempts: [{ status: "failed", durationMs: 0, error: failure, steps: [] }],
          },
    stop: async () => {
      await Promise.all([
        ...background.splice(0).map((started) => started.stop()),
        ...leftovers.splice(0).map((stop) => stop()),
      ]);
    },
  };
}

/** The same set-up reaches the run through every test of its suite: keep the first of each. */
function setupsOf(tests: readonly Test[], env: RunEnvironment): SuiteSetup[] {
  const found = new Map<string, SuiteSetup>();
  for (const setup of [env.config.setup, ...tests.filter((t) => !t.skip).map((t) => t.setup)]) {
    if (setup === undefined) continue;
    const key = formatLocation(setup.location);
    if (!found.has(key)) found.set(key, setup);
  }
  return [...found.values()];
}

/** One set-up as it runs, with what it leaves running until the end of the run. */
interface SetupScope {
  setup: SuiteSetup;
  env: RunEnvironment;
  background: BackgroundProcess[];
  /** What foreground commands left running (`operator &`): stopped with the background commands. */
  leftovers: (() => Promise<void>)[];
}

async function runSetup(scope: SetupScope): Promise<FailureDetail | undefined> {
  const { setup, env, background } = scope;
  const where = formatLocation(setup.location);
  const fail = (detail: FailureDetail): FailureDetail => ({
    ...detail,
    message: `set-up of ${where} failed: ${detail.message}`,
  });
  env.reporter.onInfo(`set-up (${where}): ${counts(setup)}`);
  for (const note of setup.notes) env.reporter.onInfo(`set-up: ${note}`);
  for (const doc of setup.crds) {
    const failed = await runBounded(applyOf(doc), setup.applyTimeoutMs, scope);
    if (failed) return fail(failed);
  }
  const waits = await Promise.all(
    setup.crds.flatMap((doc) => {
      const wait = establishedOf(doc);
      return wait === undefined ? [] : [runBounded(wait, setup.establishTimeoutMs, scope)];
    }),
  );
  const notEstablished = waits.find((w) => w !== undefined);
  if (notEstablished) return fail(notEstablished);
  for (const doc of setup.manifests) {
    const failed = await runBounded(applyOf(doc), setup.applyTimeoutMs, scope);
    if (failed) return fail(failed);
  }
  for (const command of setup.commands) {
    const failed = command.background
      ? await startCommand(command, setup, env, background)
      : await runBounded(command.operation, command.operation.timeoutMs, scope);
    if (failed === undefined) continue;
    if (!command.operation.continueOnError) return fail(failed);
    env.reporter.onInfo(`set-up: ${failed.message} (ignored, as the command asks)`);
  }
  return undefined;
}

function counts(setup: SuiteSetup): string {
  const parts = [
    [setup.crds.length, "CRD"],
    [setup.manifests.length, "object"],
    [setup.commands.length, "command"],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? "" : "s"}`)
    .join(", ");
}

/** kuttl's create-or-update: create, or merge-patch an object that exists, retrying transient errors. */
function applyOf(doc: SourceDocument): ApplyOperation {
  return {
    type: "apply",
    location: doc.location,
    resources: [doc],
    bindings: [],
    outputs: [],
    template: false,
    continueOnError: false,
    dryRun: false,
    expect: [],
  };
}

function establishedOf(crd: SourceDocument): WaitOperation | undefined {
  const name = (crd.value as { metadata?: { name?: unknown } }).metadata?.name;
  if (typeof name !== "string") return undefined;
  return {
    type: "wait",
    location: crd.location,
    // Whichever version the file uses, the API server serves every CRD as apiextensions v1.
    ref: { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name },
    for: { condition: { name: "Established" } },
    bindings: [],
    outputs: [],
    template: false,
    continueOnError: false,
  };
}

/** One operation against the cluster or the machine, under its timeout (none: until interrupted). */
async function runBounded(
  operation: Operation,
  timeoutMs: number | undefined,
  scope: SetupScope,
): Promise<FailureDetail | undefined> {
  const { env } = scope;
  const scaled = timeoutMs === undefined ? undefined : Math.round(timeoutMs * env.timeoutMultiplier);
  const timer = scaled === undefined ? undefined : deadline(scaled, env.interrupt);
  try {
    const outcome = await runOperation(operation, context(scope, timer?.signal ?? env.interrupt, scaled));
    if (outcome.status === "passed") return undefined;
    return outcome.error ?? { message: `${operation.type} failed`, location: operation.location };
  } catch (error) {
    const location = error instanceof OperationError ? error.location : undefined;
    return {
      message: errorMessage(error),
      location: location ?? operation.location,
    };
  } finally {
    timer?.dispose();
  }
}

function context(scope: SetupScope, signal: AbortSignal, timeoutMs: number | undefined): OperationContext {
  const { setup, env } = scope;
  return {
    resources: env.resources,
    client: env.client,
    kubeconfig: env.kubeconfig,
    toolPath: env.toolPath,
    namespace: setup.namespace,
    bindings: bindingsOf(setup, env),
    signal,
    timeoutMs: timeoutMs ?? 0,
    // Not the run's labels: what a set-up installs outlives the run, and `kubeproof clean` leaves it.
    labels: {},
    baseDir: setup.baseDir,
    onCreated: () => {},
    onLeftover: (stop) => scope.leftovers.push(stop),
    propagation: env.config.deletion.propagation,
  };
}

function bindingsOf(setup: SuiteSetup, env: RunEnvironment): Bindings {
  return Bindings.from({ values: env.values, namespace: setup.namespace });
}

/**
 * Starts a background command as the foreground ones run (same argv, environment and directory) and
 * goes on at once. Failing to start fails the set-up, as in kuttl; exiting early is only reported.
 */
async function startCommand(
  command: SetupCommand,
  setup: SuiteSetup,
  env: RunEnvironment,
  background: BackgroundProcess[],
): Promise<FailureDetail | undefined> {
  const operation = command.operation;
  const t = (value: string): string =>
    operation.template ? templateString(value, bindingsOf(setup, env)) : value;
  const processEnv = processEnvironment({ ...env, namespace: setup.namespace });
  for (const variable of operation.env) processEnv[variable.name] = t(variable.value);
  const [file, args] =
    operation.type === "script"
      ? [operation.shell ?? "sh", [...(operation.shellArgs ?? ["-c"]), operation.content]]
      : [t(operation.entrypoint), expandArgs(operation.args.map(t), (name) => processEnv[name])];
  const cwd = operation.workDir
    ? isAbsolute(operation.workDir)
      ? operation.workDir
      : join(setup.baseDir, operation.workDir)
    : setup.baseDir;
  let started: BackgroundProcess;
  try {
    started = await startBackground({ file, args, cwd, env: processEnv });
  } catch (error) {
    return {
      message: `${describe(operation)} could not start: ${errorMessage(error)}`,
      location: operation.location,
    };
  }
  background.push(started);
  void started.exited.then(({ code, signal, output }) => {
    // Stopped by `stop` at the end of the run: that is how it is meant to end.
    if (!background.includes(started)) return;
    const how = signal ? `was killed by ${signal}` : `exited with status ${code ?? "unknown"}`;
    const tail = output.trim().split("\n").slice(-5).join("\n");
    env.reporter.onInfo(
      `set-up: background ${describe(operation)} ${how} before the end of the run${tail ? `\n${tail}` : ""}`,
    );
  });
  return undefined;
}

function describe(operation: ScriptOperation | CommandOperation): string {
  if (operation.description !== undefined) return operation.description;
  if (operation.type === "command") return `command ${[operation.entrypoint, ...operation.args].join(" ")}`;
  const firstLine = operation.content.trim().split("\n")[0] ?? "";
  return `script "${firstLine.length > 60 ? `${firstLine.slice(0, 57)}...` : firstLine}"`;
}
