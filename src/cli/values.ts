import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { UsageError } from "./errors.ts";
import { errorMessage } from "../source/errors.ts";
import { applySet, SetSyntaxError } from "./set-values.ts";
import { parseRunLabels } from "../load/kuttl-labels.ts";

export interface ValueFlags {
  /** `--values FILE` (repeatable, comma-separated as Chainsaw's string slice; `-` reads standard input). */
  files: readonly string[];
  /** `--set key=value` in Helm's syntax, typed as Helm types it. */
  sets: readonly string[];
  /** `--set-string key=value`: the same syntax, every value a string. */
  setStrings: readonly string[];
}

/**
 * `$values`, in Helm's order (which Chainsaw follows): the configuration's values, then each values
 * file in order, then every `--set`, then every `--set-string`. Later values win; maps merge.
 */
export async function resolveValues(
  base: Record<string, unknown>,
  flags: ValueFlags,
  readStdin: () => Promise<string> = readStandardInput,
): Promise<Record<string, unknown>> {
  let values = structuredClone(base);
  for (const file of flags.files.flatMap((f) => f.split(",")).filter((f) => f !== "")) {
    let parsed: unknown;
    try {
      parsed = parse(file === "-" ? await readStdin() : await readFile(file, "utf8"));
    } catch (error) {
      throw new UsageError(`--values ${file}: ${errorMessage(error)}`);
    }
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== "object" || Array.isArray(parsed))
      throw new UsageError(`--values ${file}: expected a YAML mapping at the top level`);
    values = deepMerge(values, parsed as Record<string, unknown>);
  }
  for (const [flag, list, asString] of [
    ["--set", flags.sets, false],
    ["--set-string", flags.setStrings, true],
  ] as const) {
    for (const assignment of list) {
      try {
        applySet(values, assignment, asString);
      } catch (error) {
        if (!(error instanceof SetSyntaxError)) throw error;
        throw new UsageError(`${flag} ${assignment}: ${error.message}; e.g. ${flag} image.tag=01,replicas=2`);
      }
    }
  }
  return values;
}

/**
 * kuttl's `--template-var name=value` (a string-to-string flag: `a=1,b=2` sets two), each value read
 * as YAML as kuttl reads it, so `n=3` is a number and `b=true` a boolean.
 */
export function templateVars(flags: readonly string[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const pair of flags.flatMap((f) => f.split(","))) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new UsageError(`--template-var expects name=value, got "${pair}"`);
    const text = pair.slice(at + 1);
    try {
      vars[pair.slice(0, at)] = parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`--template-var ${pair}: the value is not YAML: ${errorMessage(error)}`);
    }
  }
  return vars;
}

/** kuttl's `--test-run-labels key=value,...` (see parseRunLabels); a bad pair is a usage error. */
export function testRunLabels(flag: string): Record<string, string> {
  try {
    return parseRunLabels(flag);
  } catch (error) {
    throw new UsageError(`--test-run-labels: ${errorMessage(error)}`);
  }
}

async function readStandardInput(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] = isRecord(value) && isRecord(current) ? deepMerge(current, value) : value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
