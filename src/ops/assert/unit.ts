import * as z from "zod";
import type { AssertMode, AssertOperation, ListMatch, SourceDocument } from "../../model/index.ts";
import { extensionOnly } from "../../source/schema-kit.ts";
import { resourceAction } from "../schema-parts.ts";
import { defineUnit, withFormats, type ConversionContext, type Dialect } from "../unit.ts";
import { runAssert } from "./exec.ts";
import { celCheckError, celSyntaxError, fromKuttlExpressions, fromKuttlFiles } from "./kuttl.ts";

/**
 * assert: the cluster holds objects matching each document (eventually, consistently or never);
 * error: it does not. Documents without apiVersion/kind are assertions over bindings alone.
 */

function assertLike(name: string, dialect: Dialect) {
  const extensions =
    dialect === "kubeproof"
      ? {
          listMatch: z
            .enum(["exact", "contains"])
            .optional()
            .describe("How lists match: exact (Chainsaw's order-sensitive default) or contains (any order)."),
          mode: z
            .enum(["eventually", "consistently", "never"])
            .optional()
            .describe("eventually (default): holds once; consistently: holds for the whole timeout; never."),
        }
      : { listMatch: extensionOnly("listMatch"), mode: extensionOnly("mode") };
  return resourceAction(name, extensions);
}

type AssertBody = z.output<ReturnType<typeof assertLike>>;

function assertFields(v: AssertBody, cc: ConversionContext): Omit<AssertOperation, "type"> {
  return {
    ...cc.base(v),
    resources: cc.resources(v, { manifest: false }),
    listMatch: asListMatch(v.listMatch),
    mode: asAssertMode(v.mode),
  };
}

/** Under Chainsaw these are refused (typed `unknown`), so narrow here. */
function asListMatch(value: unknown): ListMatch {
  return value === "contains" ? "contains" : "exact";
}

function asAssertMode(value: unknown): AssertMode {
  return value === "consistently" || value === "never" ? value : "eventually";
}

const assertSchemas = {
  chainsaw: assertLike("assert", "chainsaw"),
  kubeproof: assertLike("assert", "kubeproof"),
};
export const assertUnit = withFormats(
  defineUnit({
    type: "assert",
    inCatch: false,
    schema: (dialect) => assertSchemas[dialect],
    convert: (v, cc) => ({ ...assertFields(v, cc), type: "assert" }),
    timeout: { configured: "assert" },
    exec: runAssert,
  }),
  {
    kuttl: {
      files: (docs: readonly SourceDocument[], timeoutMs: number) =>
        fromKuttlFiles("assert", docs, timeoutMs),
      expressions: fromKuttlExpressions,
      celSyntaxError,
      celCheckError,
    },
  },
);

const errorSchemas = {
  chainsaw: assertLike("error", "chainsaw"),
  kubeproof: assertLike("error", "kubeproof"),
};
export const errorUnit = withFormats(
  defineUnit({
    type: "error",
    inCatch: false,
    schema: (dialect) => errorSchemas[dialect],
    convert: (v, cc) => ({ ...assertFields(v, cc), type: "error" }),
    timeout: { configured: "error" },
    exec: runAssert,
  }),
  {
    kuttl: {
      files: (docs: readonly SourceDocument[], timeoutMs: number) => fromKuttlFiles("error", docs, timeoutMs),
    },
  },
);
