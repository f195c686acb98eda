import type { LogOperator } from "../../model/index.ts";

/**
 * The rule of assertLogs over one log, as vk-test-set's check_logs applies it to
 * `re.findall(regex, log)`: a match is the whole match without groups, the group with one, and a
 * tuple with two or more (so `Is`, comparing a string, never matches then).
 */
export type LogVerdict =
  | { state: "holds"; count: number }
  | { state: "pending"; count: number; reason: string }
  | { state: "violated"; count: number; reason: string };

export function judgeLog(
  log: string,
  regex: RegExp,
  operator: LogOperator,
  value: string | number | undefined,
): LogVerdict {
  const found = findAll(log, regex);
  const count = found.length;
  const wanted = Number(value);
  const source = `/${regex.source}/`;
  switch (operator) {
    case "Exists":
      return count > 0
        ? { state: "holds", count }
        : { state: "pending", count, reason: `${source} not found` };
    case "CountAtLeast":
      return count >= wanted
        ? { state: "holds", count }
        : { state: "pending", count, reason: `${source} found ${count} times, expected at least ${wanted}` };
    case "CountAtMost":
      return count <= wanted
        ? { state: "holds", count }
        : { state: "violated", count, reason: `${source} found ${count} times, expected at most ${wanted}` };
    case "CountExactly":
      if (count > wanted)
        return {
          state: "violated",
          count,
          reason: `${source} found ${count} times, expected exactly ${wanted}`,
        };
      return count === wanted
        ? { state: "holds", count }
        : { state: "pending", count, reason: `${source} found ${count} times, expected exactly ${wanted}` };
    case "Is": {
      const expected = String(value ?? "");
      if (found.some((m) => m === expected)) return { state: "holds", count };
      const shown = found
        .slice(0, 5)
        .map((m) => (typeof m === "string" ? JSON.stringify(m) : `(${m.join(", ")})`));
      return {
        state: "pending",
        count,
        reason: `${source} matched [${shown.join(", ")}], expected ${JSON.stringify(expected)}`,
      };
    }
  }
}

/** Python's `re.findall`: strings without or with one group, tuples (arrays) with more. */
export function findAll(text: string, regex: RegExp): (string | string[])[] {
  const global = regex.global ? regex : new RegExp(regex.source, `${regex.flags}g`);
  const out: (string | string[])[] = [];
  for (const m of text.matchAll(global)) {
    const groups = m.slice(1).map((g) => g ?? "");
    out.push(groups.length === 0 ? m[0] : groups.length === 1 ? groups[0] : groups);
  }
  return out;
}
