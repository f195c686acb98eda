import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { UsageError } from "./errors.ts";
import { errorMessage } from "../source/errors.ts";

/** `$values`: the configuration's values, then each `--values FILE` in order, then `--set a.b=c`. */
export async function resolveValues(
  base: Record<string, unknown>,
  files: readonly string[],
  sets: readonly string[],
): Promise<Record<string, unknown>> {
  let values = structuredClone(base);
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = parse(await readFile(file, "utf8"));
    } catch (error) {
      throw new UsageError(`--values ${file}: ${errorMessage(error)}`);
    }
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== "object" || Array.isArray(parsed))
      throw new UsageError(`--values ${file}: expected a YAML mapping at the top level`);
    values = deepMerge(values, parsed as Record<string, unknown>);
  }
  for (const assignment of sets) {
    const at = assignment.indexOf("=");
    if (at <= 0)
      throw new UsageError(`--set expects key=value (dotted keys for nesting), got "${assignment}"`);
    const keys = assignment.slice(0, at).split(".");
    let target: Record<string, unknown> = values;
    for (const key of keys.slice(0, -1)) {
      const next = target[key];
      const child: Record<string, unknown> = isRecord(next) ? next : {};
      target[key] = child;
      target = child;
    }
    target[keys[keys.length - 1]] = parseScalar(assignment.slice(at + 1));
  }
  return values;
}

/** `--set n=3` gives a number, `--set b=true` a boolean, like Helm; anything else stays a string. */
function parseScalar(text: string): unknown {
  if (text === "true" || text === "false") return text === "true";
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === "null") return null;
  return text;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      current &&
      typeof current === "object" &&
      !Array.isArray(current)
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
