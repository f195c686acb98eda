import * as z from "zod";

/**
 * The gate's result, the feedback document: its schema is the single source of its TypeScript types
 * and of docs/feedback-schema.json. The document is read by automated coders, so every field says
 * what it means in the schema itself. The gate builds it (`src/gate/feedback/`) and reporters render
 * it (`src/report/gate.ts`); it lives in the model, as test results do, so reporters need not import
 * the gate.
 */

/** Most failures a check carries; beyond this the first ones are enough to act on. */
export const MAX_FAILURES = 20;

export const buildErrorSchema = z
  .object({
    file: z.string().optional().describe("Repository-relative path (absolute when outside the repository)"),
    line: z.number().int().positive().optional(),
    col: z.number().int().positive().optional(),
    message: z.string(),
    tool: z.string().describe("What reported it: go, go vet, tsc, eslint, pytest, vitest, jest, make"),
  })
  .describe("An error that stopped code from building, loading or passing static checks");

export const testFailureSchema = z
  .object({
    name: z.string().describe("The test's full name as its framework prints it"),
    file: z.string().optional().describe("Repository-relative path of the most relevant location"),
    line: z.number().int().positive().optional(),
    message: z.string().describe("The assertion or error message; may span lines"),
    framework: z.string().describe("go, ginkgo, node-test, jest, vitest, pytest, or a CTRF tool name"),
  })
  .describe("One failing test");

export const verdictSchema = z
  .enum(["PASS", "FAIL", "TIMEOUT", "ERROR"])
  .describe(
    "FAIL if any check failed; otherwise TIMEOUT if any timed out; otherwise ERROR if any could not run " +
      "or nothing ran; otherwise PASS",
  );

export const statusSchema = z
  .enum(["passed", "failed", "timedOut", "error", "skipped"])
  .describe(
    "error: could not run or finish for a reason other than a test (spawn failure, lost Job, signal)",
  );

export const tierSchema = z.object({
  name: z.string().describe("local or job, or a custom tier name"),
  status: statusSchema,
  durationMs: z.number().int().nonnegative(),
  checks: z.number().int().nonnegative().describe("How many checks the tier ran"),
  skipped: z.string().optional().describe("Why the tier did not run"),
});

export const checkSchema = z.object({
  tier: z.string(),
  name: z.string(),
  command: z.string().optional().describe("The command that ran, to reproduce the result"),
  status: statusSchema,
  exitCode: z.number().int().nullable().describe("null when the command never exited on its own"),
  durationMs: z.number().int().nonnegative(),
  timedOut: z.boolean(),
  skipped: z.string().optional().describe("Why the check did not run"),
  error: z.string().optional().describe("Why the check could not run or finish (not a test failure)"),
  firstBuildError: buildErrorSchema
    .optional()
    .describe("The first build error in the output: later ones are often its consequences"),
  failures: z.array(testFailureSchema).max(MAX_FAILURES),
  omittedFailures: z.number().int().nonnegative().describe("Failures found but left out to stay small"),
  logExcerpt: z.string().describe("The end of the output (cleaned, secrets masked); empty for passed checks"),
});

export const feedbackDocumentSchema = z
  .object({
    schemaVersion: z.literal(1),
    verdict: verdictSchema,
    tiers: z.array(tierSchema),
    checks: z.array(checkSchema),
    truncated: z
      .boolean()
      .describe(
        "True when excerpts, messages, failures or checks were shortened or left out to bound the size",
      ),
  })
  .meta({
    title: "kubeproof gate feedback",
    description:
      "The result of `kubeproof gate`: what ran, what failed and where, bounded in size for an automated coder",
  });

export type BuildError = z.infer<typeof buildErrorSchema>;
export type TestFailure = z.infer<typeof testFailureSchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type CheckStatus = z.infer<typeof statusSchema>;
export type TierSummary = z.infer<typeof tierSchema>;
export type CheckFeedback = z.infer<typeof checkSchema>;
export type FeedbackDocument = z.infer<typeof feedbackDocumentSchema>;

/** The JSON Schema published as docs/feedback-schema.json. */
export function feedbackJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(feedbackDocumentSchema, { target: "draft-2020-12" });
  return { $schema, $id: "https://kubeproof.dev/schema/feedback-v1.json", ...rest };
}
