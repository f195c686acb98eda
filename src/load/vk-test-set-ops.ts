import type {
  AssertLogsOperation,
  AssertPodPhaseOperation,
  DeleteOperation,
  Operation,
  PathSegment,
  ScriptOperation,
  SourceDocument,
  SourceLocation,
} from "../model/index.ts";
import { plainBase } from "../ops/unit.ts";
import { LoadError } from "../source/diagnostics.ts";
import { translatePythonRegex } from "../source/python-regex.ts";
import { CLEANABLE_KINDS, type Validation } from "./vk-test-set-schema.ts";

/**
 * A vk-test-set validation section as kubeproof operations: check_pods → assertPodPhase, check_logs →
 * assertLogs (the Python regex translated), clean_configs → delete with `when`.
 */

/** upstream's intended default, used with --vk-test-set-fixes (upstream's default is broken). */
const FIXED_DEFAULT_TIMEOUT_SECONDS = 60;

export interface ParsedValidation {
  doc?: SourceDocument;
  value: Validation;
}

export interface ChecksContext {
  fixes: boolean;
  /** vktest_config.yaml's timeout_multiplier. */
  multiplier: number;
  warnings: LoadError[] | undefined;
  errors: LoadError[];
}

export function checkOperations(
  validation: ParsedValidation,
  mc: ChecksContext,
  file: string,
): Operation[] | undefined {
  const { doc, value } = validation;
  const start: SourceLocation = doc?.location ?? { file, line: 1, col: 1 };
  const at = (path: PathSegment[]): SourceLocation => doc?.locate(path) ?? start;
  if (value.timeout_seconds === undefined && !mc.fixes) {
    mc.warnings?.push(
      new LoadError({
        ...start,
        message:
          "no timeout_seconds: upstream vk-test-set crashes on such a template (its default is a tuple), so this test fails as there",
        hint: "add timeout_seconds, or run with --vk-test-set-fixes for the intended default of 60",
      }),
    );
    return [upstreamCrash(start)];
  }
  const seconds = value.timeout_seconds ?? FIXED_DEFAULT_TIMEOUT_SECONDS;
  const timeoutMs = Math.round(seconds * mc.multiplier * 1000);
  const shared = { at, timeoutMs, description: `validation (timeout_seconds ${seconds})` };
  const pods = value.check_pods.map((check, i) => podCheck(check, i, shared, mc.fixes));
  const logs = value.check_logs.map((check, i) => logCheck(check, i, shared, mc));
  if (logs.some((op) => op === undefined)) return undefined;
  return [...pods, ...(logs as AssertLogsOperation[])];
}

interface CheckShared {
  at: (path: PathSegment[]) => SourceLocation;
  timeoutMs: number;
  description: string;
}

/** check_pods: upstream reads the pod by name (a trailing - is a prefix only with the fixes). */
function podCheck(
  check: Validation["check_pods"][number],
  i: number,
  shared: CheckShared,
  fixes: boolean,
): AssertPodPhaseOperation {
  const prefix = fixes && check.name.endsWith("-");
  return {
    ...plainBase(shared.at(["check_pods", i]), shared.timeoutMs),
    description: shared.description,
    type: "assertPodPhase",
    namespace: check.namespace,
    ...(prefix ? { namePrefix: check.name } : { name: check.name }),
    phase: check.status,
    // Upstream does not retry API errors: a pod that is not there fails the test at once.
    missing: fixes ? "wait" : "fail",
  };
}

/** check_logs: the Python regex translated, or an error at it. */
function logCheck(
  check: Validation["check_logs"][number],
  i: number,
  shared: CheckShared,
  { errors, fixes }: Pick<ChecksContext, "errors" | "fixes">,
): AssertLogsOperation | undefined {
  const at = shared.at(["check_logs", i, "regex"]);
  const path = `check_logs[${i}].regex`;
  const translated = translatePythonRegex(check.regex);
  if (!translated.ok) {
    const message = `Python regex ${JSON.stringify(check.regex)}, at offset ${translated.offset}: ${translated.message}`;
    errors.push(new LoadError({ ...at, path, message, hint: translated.hint }));
    return undefined;
  }
  try {
    new RegExp(translated.source, translated.flags);
  } catch (error) {
    const message = `bad regex ${JSON.stringify(check.regex)}: ${(error as Error).message}`;
    errors.push(new LoadError({ ...at, path, message, expected: "a Python regular expression" }));
    return undefined;
  }
  if (check.operator.startsWith("Count") && !/^\s*[-+]?\d+\s*$/.test(String(check.value ?? ""))) {
    errors.push(
      new LoadError({
        ...shared.at(["check_logs", i]),
        path: `check_logs[${i}].value`,
        message: `operator ${check.operator} needs a whole number as value, got ${JSON.stringify(check.value ?? null)}`,
        expected: "an integer, e.g. value: 2",
      }),
    );
    return undefined;
  }
  return {
    ...plainBase(shared.at(["check_logs", i]), shared.timeoutMs),
    description: shared.description,
    type: "assertLogs",
    namespace: check.namespace,
    ...(fixes && check.name.endsWith("-") ? { namePrefix: check.name } : { name: check.name }),
    regex: translated.source,
    operator: check.operator,
    ...(translated.flags ? { flags: translated.flags } : {}),
    ...(check.container ? { container: check.container } : {}),
    ...(check.value === null || check.value === undefined ? {} : { value: check.value }),
    // Upstream reads the log at once and does not retry the API's error (not found, not started).
    ...(fixes ? {} : { missing: "fail" as const }),
  };
}

/** clean_configs: deletes by condition, in order (`when` is the native condition). */
export function cleanups(validation: ParsedValidation): DeleteOperation[] {
  const { doc, value } = validation;
  return value.clean_configs.map((clean, i) => {
    const kind = CLEANABLE_KINDS[clean.type];
    const location = doc?.locate(["clean_configs", i]) ?? { file: "", line: 0, col: 0 };
    return {
      ...plainBase(location, 60_000),
      type: "delete",
      ref: {
        apiVersion: "v1",
        kind,
        name: clean.name,
        ...(kind === "Namespace" ? {} : { namespace: clean.namespace }),
      },
      resources: [],
      expect: [],
      when: clean.condition,
      // Upstream deletes and goes on; waiting for a pod's kubelet to tear it down (seconds on a real
      // node) would cost every test that time, for nothing that follows depends on it.
      waitFor: "finalizers",
    };
  });
}

/** What upstream does with a template without timeout_seconds: its validation raises a TypeError. */
function upstreamCrash(location: SourceLocation): ScriptOperation {
  return upstreamFailure(
    location,
    "upstream vk-test-set fails this template: it has no timeout_seconds, and upstream's default is a tuple (TypeError). Add timeout_seconds, or run with --vk-test-set-fixes for the default of 60 s",
  );
}

/** A check that fails with `message`, as upstream fails the template before its checks run. */
export function upstreamFailure(location: SourceLocation, message: string): ScriptOperation {
  return {
    ...plainBase(location, 10_000),
    type: "script",
    content: `cat >&2 <<'EOF'\n${message}\nEOF\nexit 1\n`,
    env: [],
    skipLogOutput: false,
    label: "vk-test-set validation",
  };
}
