import { observe } from "../../kube/observe.ts";
import type { KubeObject } from "../../kube/resources.ts";
import type { AssertLogsOperation } from "../../model/index.ts";
import { formatDuration } from "../../source/duration.ts";
import { errorMessage } from "../../source/errors.ts";
import { selectPods } from "../pods.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";
import { judgeLog, type LogVerdict } from "./judge.ts";
import { LogFollower } from "./follow.ts";

/**
 * assertLogs: a regex over a container's log, judged again at every chunk the log stream delivers
 * (`follow=true`), so a line counts within milliseconds of being written. The pods are watched: a
 * container's log is followed once it has started, again after each restart. Too many matches for
 * CountAtMost / CountExactly, a pod with several containers and no `container`, or an error reading
 * a started container's log fail at once; everything else waits for the deadline.
 */
export async function runAssertLogs(
  operation: AssertLogsOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const selected = selectPods(operation, context);
  const { query, filter, t } = selected;
  let regex: RegExp;
  try {
    regex = new RegExp(t(operation.regex)!, `${operation.flags ?? ""}g`);
  } catch (error) {
    return fail(`invalid regex: ${errorMessage(error)}`);
  }
  const container = t(operation.container);
  const decided = new AbortController();
  const signal = AbortSignal.any([context.signal, decided.signal]);
  const followers = new Map<string, LogFollower>();
  let pods: KubeObject[] = [];
  let outcome: OperationOutcome | undefined;

  const judgeAll = (): boolean => {
    if (outcome) return true;
    const verdicts = pods.map((pod) => followers.get(pod.metadata.uid ?? "")?.verdict);
    const broken = [...followers.values()].find((f) => f.error !== undefined);
    const strict = operation.missing === "fail";
    const waiting = strict ? [...followers.values()].find((f) => f.waiting !== undefined) : undefined;
    const violated = verdicts.find(
      (v): v is Extract<LogVerdict, { state: "violated" }> => v?.state === "violated",
    );
    if (broken) outcome = fail(broken.error!, broken.log);
    else if (strict && pods.length === 0) outcome = fail(`${subject()}: pod not found`);
    else if (waiting) outcome = fail(`${subject()}: ${waiting.waiting}`);
    else if (violated) outcome = fail(`${subject()}: ${violated.reason}`, logOf(violated));
    else if (pods.length > 0 && verdicts.every((v) => v?.state === "holds")) outcome = { status: "passed" };
    if (outcome) decided.abort();
    return outcome !== undefined;
  };
  const logOf = (verdict: LogVerdict): string | undefined =>
    [...followers.values()].find((f) => f.verdict === verdict)?.log;

  await observe(context.resources, query, signal, (objects) => {
    pods = filter(objects);
    for (const pod of pods) {
      const uid = pod.metadata.uid ?? "";
      let follower = followers.get(uid);
      if (!follower) {
        follower = new LogFollower({
          client: context.client,
          pod,
          container,
          signal,
          judge: (log) => judgeLog(log, regex, operation.operator, operation.value),
          onChange: judgeAll,
        });
        followers.set(uid, follower);
      }
      follower.update(pod);
    }
    return judgeAll();
  });
  judgeAll();
  await Promise.all([...followers.values()].map((f) => f.stopped()));
  if (outcome) return { ...outcome, involved: pods };
  const reasons = pods.map((pod) => {
    const v = followers.get(pod.metadata.uid ?? "")?.verdict;
    return `${pod.metadata.name ?? "?"}: ${v === undefined ? "container not started" : v.state === "holds" ? "ok" : v.reason}`;
  });
  return {
    ...fail(
      `${subject()}: log assertion ${operation.operator} not met within ${formatDuration(context.timeoutMs)}: ${reasons.join("; ") || "no pod found"}`,
      [...followers.values()][0]?.log,
    ),
    involved: pods,
  };

  function subject(): string {
    return `logs of ${selected.subject}${container ? ` [${container}]` : ""}`;
  }
  function fail(message: string, log?: string): OperationOutcome {
    return {
      status: "failed",
      error: { message, location: operation.location, subject: subject() },
      ...(log === undefined ? {} : { output: { stdout: tail(log) } }),
    };
  }
}

/** The end of a log for the failure's output: the lines that usually say why. */
function tail(log: string): string {
  const lines = log.split("\n");
  return lines.length > 50 ? lines.slice(-50).join("\n") : log;
}
