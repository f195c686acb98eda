import * as z from "zod";
import { LOG_MARKER } from "./scripts.ts";

/**
 * What the Job's runner reports: a JSON summary in its container's termination message (Kubernetes
 * keeps 4 KiB of it), and its log, where marker lines delimit each check's output.
 */

const summaryCheckSchema = z.object({
  name: z.string(),
  exitCode: z.number().int(),
  seconds: z.number().nonnegative(),
  timedOut: z.boolean(),
  error: z.string().optional(),
});

const summarySchema = z.object({
  v: z.literal(1),
  checks: z.array(summaryCheckSchema),
  errorsOmitted: z.boolean().optional(),
  error: z.string().optional(),
});

export type JobSummary = z.infer<typeof summarySchema>;
export type JobSummaryCheck = z.infer<typeof summaryCheckSchema>;

/** The summary in a termination message, or undefined when there is none or it is not one. */
export function parseSummary(message: string | undefined): JobSummary | undefined {
  if (message === undefined || message.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  const result = summarySchema.safeParse(value);
  return result.success ? result.data : undefined;
}

export interface SplitLog {
  /** Output of each check by its index in the Job, as far as the kept tail reaches. */
  checks: Map<number, string>;
  /** Which checks began, and which of them ended, according to the markers seen. */
  begun: Set<number>;
  ended: Set<number>;
  /** Lines outside any check (the runner's own messages). */
  other: string;
}

const MARKER = new RegExp(`^${LOG_MARKER} (begin|end) (\\d+)(?: |$)`);

/**
 * Splits the log tail by the runner's markers. The tail may start inside a check's output: lines
 * before the first marker belong to the check whose `end` marker comes first.
 */
export function splitLog(log: string): SplitLog {
  const checks = new Map<number, string[]>();
  const begun = new Set<number>();
  const ended = new Set<number>();
  const other: string[] = [];
  const orphans: string[] = [];
  let current: number | undefined;
  let seenMarker = false;
  for (const line of log.split("\n")) {
    const m = MARKER.exec(line);
    if (!m) {
      if (current !== undefined) checks.get(current)?.push(line);
      else if (!seenMarker) orphans.push(line);
      else other.push(line);
      continue;
    }
    const index = Number(m[2]);
    if (m[1] === "begin") {
      current = index;
      begun.add(index);
      checks.set(index, []);
    } else {
      if (!seenMarker && !begun.has(index)) checks.set(index, orphans.splice(0));
      ended.add(index);
      current = undefined;
    }
    seenMarker = true;
  }
  if (!seenMarker) other.push(...orphans);
  const trimmed = new Map<number, string>();
  for (const [index, lines] of checks) trimmed.set(index, lines.join("\n").replace(/^\n+|\s+$/g, ""));
  return { checks: trimmed, begun, ended, other: other.join("\n").trim() };
}
