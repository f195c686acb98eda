import type * as z from "zod";
import { didYouMean } from "../source/suggest.ts";
import { errorAt, formatPath, LoadError, LoadErrors, sortErrors } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { subDocument } from "../source/yaml.ts";
import type { PathSegment, SourceDocument } from "../model/index.ts";
import { gateSchema, TIER_KINDS, tierSchema, type GateConfig, type GateTier } from "./config.ts";

/**
 * Validates the gate section of the configuration with positions. Finding and reading the file, and
 * validating the rest of a full configuration, is the loader's (`readGateSection` in
 * `src/load/gate-section.ts`); the CLI hands the section over (`src/cli/gate-config.ts`), so the gate
 * does not import the loader.
 */

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
