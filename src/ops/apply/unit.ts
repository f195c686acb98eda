import * as z from "zod";
import { defined, expectations, modifiedDocument } from "../convert-parts.ts";
import { expectation, modifiers, resourceAction, withOutputs } from "../schema-parts.ts";
import type { ApplyOperation, SourceDocument } from "../../model/index.ts";
import { defineUnit, plainBase, withFormats, type ConversionContext } from "../unit.ts";
import { runApply } from "./exec.ts";

/**
 * Writes: apply (create, or merge-patch what exists), create (must not exist), update (must exist,
 * replaced) and patch (must exist, merge patch; optionally of a subresource).
 */

const applyLike = (name: string) =>
  resourceAction(name, {
    ...withOutputs,
    dryRun: z.boolean().optional().describe("Send the request in dry-run mode."),
    expect: z.array(expectation).optional(),
    modifiers: modifiers.optional(),
  });

type ApplyBody = z.output<ReturnType<typeof applyLike>>;

/** What apply, create and update share: they differ in the request, not in what they hold. */
function writeFields(v: ApplyBody, cc: ConversionContext): Omit<ApplyOperation, "type"> {
  return {
    ...cc.base(v),
    resources: cc.resources(v, { manifest: true }).map((doc) => modifiedDocument(doc, v.modifiers)),
    dryRun: v.dryRun ?? false,
    expect: expectations(v.expect),
  };
}

const applySchema = applyLike("apply");
export const applyUnit = withFormats(
  defineUnit({
    type: "apply",
    inCatch: false,
    schema: () => applySchema,
    convert: (v, cc) => ({ ...writeFields(v, cc), type: "apply" }),
    timeout: { configured: "apply" },
    exec: runApply,
  }),
  { kuttl: { stepObjects: fromKuttlStep } },
);

/**
 * kuttl applies a step's objects by creating what is missing and JSON-merge-patching what exists, so
 * a later step may hold only the fields it changes: exactly kubeproof's `apply`. One operation for
 * all of them, none when the step has no objects.
 */
function fromKuttlStep(docs: readonly SourceDocument[], timeoutMs: number): ApplyOperation[] {
  const first = docs[0];
  if (first === undefined) return [];
  return [
    {
      ...plainBase(first.location, timeoutMs),
      type: "apply",
      description: "kuttl apply: create, or merge-patch what exists",
      resources: [...docs],
      dryRun: false,
      expect: [],
    },
  ];
}

const createSchema = applyLike("create");
export const createUnit = defineUnit({
  type: "create",
  inCatch: false,
  schema: () => createSchema,
  convert: (v, cc) => ({ ...writeFields(v, cc), type: "create" }),
  timeout: { configured: "apply" },
  exec: runApply,
});

const updateSchema = applyLike("update");
export const updateUnit = defineUnit({
  type: "update",
  inCatch: false,
  schema: () => updateSchema,
  convert: (v, cc) => ({ ...writeFields(v, cc), type: "update" }),
  timeout: { configured: "apply" },
  exec: runApply,
});

const patchSchema = resourceAction("patch", {
  ...withOutputs,
  dryRun: z.boolean().optional(),
  expect: z.array(expectation).optional(),
  subresource: z
    .string()
    .min(1)
    .optional()
    .describe("Patch this subresource of the object (e.g. status) instead of the object itself."),
});

export const patchUnit = defineUnit({
  type: "patch",
  inCatch: false,
  schema: () => patchSchema,
  convert: (v, cc) => ({
    ...cc.base(v),
    type: "patch",
    resources: cc.resources(v, { manifest: true }),
    dryRun: v.dryRun ?? false,
    expect: expectations(v.expect),
    ...defined({ subresource: v.subresource }),
  }),
  timeout: { configured: "apply" },
  exec: runApply,
});
