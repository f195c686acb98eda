import * as z from "zod";

/**
 * Kubernetes' rules for label keys and values (apimachinery's `validation.IsQualifiedName` and
 * `IsValidLabelValue`), which kuttl applies to `--test-run-labels` and to `testRunSelector`s, and
 * the LabelSelector schema of those selectors.
 */

const NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `invalid label key ${JSON.stringify(key)}: the prefix must be a DNS subdomain (lower case, 253 characters at most)`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return `invalid label key ${JSON.stringify(key)}: a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined (the empty value is valid). */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return `invalid label value ${JSON.stringify(value)}: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/**
 * kuttl's `--test-run-labels`: `key=value` pairs separated by commas, read as apimachinery's
 * `ConvertSelectorToLabelsMap` reads them (spaces around keys and values trimmed; a key given twice
 * keeps its last value). Throws with the reason when a pair is not `key=value` or is not a valid label.
 */
export function parseRunLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  if (text === "") return labels;
  for (const pair of text.split(",")) {
    const parts = pair.split("=");
    if (parts.length !== 2) throw new Error(`invalid label "${pair}": expected key=value`);
    const key = (parts[0] ?? "").trim();
    const value = (parts[1] ?? "").trim();
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem !== undefined) throw new Error(problem);
    labels[key] = value;
  }
  return labels;
}

const labelKey = z.string().superRefine((key, ctx) => {
  const problem = labelKeyProblem(key);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

/** `matchLabels`: its keys checked here, so that the message names the key (zod's says "Invalid key"). */
const matchLabels = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: [key], message: problem });
  }
});

const labelValue = z.string().superRefine((value, ctx) => {
  const problem = labelValueProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

/** kuttl's LabelSelectorAsSelector refuses what Kubernetes refuses in a selector; so does the load. */
const labelSelectorRequirement = z
  .strictObject({
    key: labelKey,
    operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"]),
    values: z.array(labelValue).nullish(),
  })
  .superRefine((r, ctx) => {
    const count = r.values?.length ?? 0;
    const wantsValues = r.operator === "In" || r.operator === "NotIn";
    if (wantsValues && count === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["values"],
        message: `operator ${r.operator} needs at least one value`,
      });
    } else if (!wantsValues && count > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["values"],
        message: `operator ${r.operator} takes no values`,
      });
    }
  });

/** A Kubernetes LabelSelector, matched against `--test-run-labels`. */
export const labelSelector = z.strictObject({
  matchLabels: matchLabels.nullish(),
  matchExpressions: z.array(labelSelectorRequirement).nullish(),
});

export type ParsedLabelSelector = z.output<typeof labelSelector>;
