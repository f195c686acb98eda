/**
 * Gate feedback: turns the output of checks into a bounded document an automated coder can act on.
 * Pure and cluster-independent: the gate's tiers run the checks and hand their results here.
 */
export { cleanOutput, resolveCarriageReturns } from "./ansi.ts";
export { stripAnsi, TailBuffer, tailText } from "../../process/index.ts";
export { maskSecrets, relativizePaths, type MaskOptions, type RelativizeOptions } from "./paths.ts";
export {
  parse,
  parseGinkgo,
  parseGo,
  parseJest,
  parseKubeproof,
  parseMake,
  parseNodeTest,
  parseOutput,
  parsePytest,
  type ParsedOutput,
  type ParseOutputOptions,
} from "./parsers/index.ts";
export type { BuildError, ParsedFailures, ParseOptions, TestFailure } from "./types.ts";
export {
  DEFAULT_MAX_BYTES,
  buildFeedback,
  checkStatus,
  serializeFeedback,
  verdictOf,
  type CheckInput,
  type FeedbackInputs,
  type FeedbackOptions,
  type TierInput,
} from "./document.ts";
export { renderMarkdown, toMarkdown, type MarkdownOptions } from "./markdown.ts";
export {
  MAX_FAILURES,
  feedbackDocumentSchema,
  feedbackJsonSchema,
  type CheckFeedback,
  type CheckStatus,
  type FeedbackDocument,
  type TierSummary,
  type Verdict,
} from "../../model/feedback.ts";
