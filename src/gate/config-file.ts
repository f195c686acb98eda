import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type * as z from "zod";
import { didYouMean } from "../source/suggest.ts";
import { findConfigFile, loadConfigFile } from "../load/config.ts";
import { errorAt, formatPath, LoadError, LoadErrors, sortErrors } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { displayPath } from "../load/loader.ts";
import { parseYamlDocuments, subDocument } from "../source/yaml.ts";
import type { PathSegment, SourceDocument } from "../model/index.ts";
import { gateSchema, TIER_KINDS, tierSchema, type GateConfig, type GateTier } from "./config.ts";
import { errorMessage } from "../source/errors.ts";

/**
 * Finds and validates the gate configuration. Two shapes are accepted: the full configuration
 * (`apiVersion: kubeproof.dev/v1alpha1`, `kind: Configuration`, the gate under `spec.gate`), whose
 * other fields are validated by the configuration loader, and a file holding only `gate:`, as a
 * repository that uses kubeproof only for its gate would write it.
 */

export interface LoadedGateConfig {
  /** Absolute path of the file. */
  file: string;
  gate: GateConfig;
}

export interface LoadGateConfigOptions {
  /** `--config`: this file, which must exist. */
  configPath?: string;
  /** Where to look when no path is given; paths in messages are relative to it too. */
  cwd: string;
}

export function loadGateConfig(options: LoadGateConfigOptions): LoadedGateConfig {
  const cwd = resolve(options.cwd);
  const abs = options.configPath !== undefined ? resolve(cwd, options.configPath) : findConfigFile(cwd);
  if (abs === undefined) {
    throw new LoadErrors([
      new LoadError({
        file: displayPath(cwd, cwd),
        line: 0,
        col: 0,
        message: "no kubeproof.yaml here or in a parent directory up to the repository root",
        expected: "a kubeproof.yaml with a gate: section",
        hint: "create one (see docs/gate.md) or pass --config FILE",
      }),
    ]);
  }
  const file = displayPath(abs, cwd);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (err) {
    throw new LoadErrors([
      new LoadError({
        file,
        line: 0,
        col: 0,
        message: `cannot read the configuration: ${errorMessage(err)}`,
        hint: "check the path given to --config",
      }),
    ]);
  }
  const { documents, errors } = parseYamlDocuments(text, file);
  if (errors.length > 0) throw new LoadErrors(errors);
  const doc = documents[0];
  if (doc === undefined || doc.value === null || typeof doc.value !== "object" || Array.isArray(doc.value)) {
    throw new LoadErrors([
      new LoadError({
        file,
        line: 1,
        col: 1,
        message: "the configuration is not a mapping",
        expected: "gate: {tiers: [...]}",
      }),
    ]);
  }
  const top = doc.value as Record<string, unknown>;
  let gatePath: PathSegment[];
  if ("kind" in top || "apiVersion" in top) {
    // The full configuration: its loader checks everything but the gate, with the same messages as
    // every other command.
    loadConfigFile(abs, cwd);
    gatePath = ["spec", "gate"];
  } else {
    const stray = Object.keys(top).filter((key) => key !== "gate");
    if (stray.length > 0) {
      throw new LoadErrors(
        stray.map((key) =>
          errorAt(doc, [key], {
            message: `unknown field ${JSON.stringify(key)}`,
            path: [],
            expected: "gate (or a full configuration with apiVersion and kind: Configuration)",
          }),
        ),
      );
    }
    gatePath = ["gate"];
  }
  const gateDoc = subDocument(doc, gatePath);
  if (gateDoc.value === undefined || gateDoc.value === null) {
    throw new LoadErrors([
      new LoadError({
        ...doc.locate(gatePath.slice(0, -1)),
        message: `no ${gatePath.join(".")} section`,
        expected: "tiers with checks",
        hint: "add a gate section (see docs/gate.md)",
      }),
    ]);
  }
  return { file: abs, gate: validateGate(gateDoc, gatePath) };
}

/** Validates the gate section of `gateDoc`, which sits at `prefix` in its file. */
export function validateGate(gateDoc: SourceDocument, prefix: readonly PathSegment[]): GateConfig {
  const errors: LoadError[] = [];
  const outer = gateSchema.safeParse(gateDoc.value);
  if (!outer.success) {
    errors.push(...prefixed(issuesToLoadErrors(outer.error.issues, gateDoc, gateSchema), prefix));
    throw new LoadErrors(sortErrors(errors));
  }
  const tiers: GateTier[] = [];
  outer.data.tiers.forEach((value, index) => {
    const path = [...prefix, "tiers", index];
    const tierDoc = subDocument(gateDoc, ["tiers", index]);
    const kind = kindOf(value, tierDoc, path, errors);
    if (kind === undefined) return;
    const schema = tierSchema(kind);
    const result = schema.safeParse(value);
    if (!result.success) {
      errors.push(...prefixed(issuesToLoadErrors(result.error.issues, tierDoc, schema as z.ZodType), path));
      return;
    }
    tiers.push(result.data);
  });
  if (errors.length === 0) errors.push(...duplicates(tiers, gateDoc, prefix));
  if (errors.length > 0) throw new LoadErrors(sortErrors(errors));
  return { tiers };
}

function kindOf(
  value: unknown,
  tierDoc: SourceDocument,
  path: PathSegment[],
  errors: LoadError[],
): "local" | "cluster" | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    errors.push(
      prefixOne(
        errorAt(tierDoc, [], { message: "a tier must be a mapping", expected: "name, checks" }),
        path,
      ),
    );
    return undefined;
  }
  const kind = (value as Record<string, unknown>).kind;
  if (kind === undefined || kind === "local") return "local";
  if (kind === "cluster") return "cluster";
  const meant = typeof kind === "string" ? didYouMean(kind, TIER_KINDS) : undefined;
  errors.push(
    prefixOne(
      errorAt(tierDoc, ["kind"], {
        message: `invalid tier kind ${JSON.stringify(kind)}`,
        expected: "local (the default) or cluster",
        ...(meant !== undefined ? { hint: `did you mean ${JSON.stringify(meant)}?` } : {}),
      }),
      path,
    ),
  );
  return undefined;
}

/** Tiers and the checks of a tier are referred to by name in feedback, markers and summaries. */
function duplicates(
  tiers: readonly GateTier[],
  gateDoc: SourceDocument,
  prefix: readonly PathSegment[],
): LoadError[] {
  const out: LoadError[] = [];
  const seenTiers = new Set<string>();
  tiers.forEach((tier, t) => {
    if (seenTiers.has(tier.name)) {
      out.push(
        prefixOne(
          errorAt(gateDoc, ["tiers", t, "name"], {
            message: `duplicate tier name ${JSON.stringify(tier.name)}`,
            hint: "give each tier its own name",
          }),
          prefix,
        ),
      );
    }
    seenTiers.add(tier.name);
    const seenChecks = new Set<string>();
    tier.checks.forEach((check, c) => {
      if (seenChecks.has(check.name)) {
        out.push(
          prefixOne(
            errorAt(gateDoc, ["tiers", t, "checks", c, "name"], {
              message: `duplicate check name ${JSON.stringify(check.name)} in tier ${JSON.stringify(tier.name)}`,
              hint: "give each check of a tier its own name",
            }),
            prefix,
          ),
        );
      }
      seenChecks.add(check.name);
    });
  });
  return out;
}

function prefixed(errors: readonly LoadError[], prefix: readonly PathSegment[]): LoadError[] {
  return errors.map((e) => prefixOne(e, prefix));
}

/** Errors found in a part of the file carry the path from the file's root, as every other message does. */
function prefixOne(e: LoadError, prefix: readonly PathSegment[]): LoadError {
  const head = formatPath(prefix);
  const rest = e.path ?? "";
  const path = rest === "" ? head : rest.startsWith("[") ? `${head}${rest}` : `${head}.${rest}`;
  return new LoadError({
    file: e.file,
    line: e.line,
    col: e.col,
    message: e.message,
    path,
    ...(e.expected !== undefined ? { expected: e.expected } : {}),
    ...(e.hint !== undefined ? { hint: e.hint } : {}),
  });
}
