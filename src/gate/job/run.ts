import { ApiError, isNotFound } from "../../kube/client.ts";
import type { KubeObject, Resources } from "../../kube/resources.ts";
import type { ClusterTier } from "../config.ts";
import type { GateEventHandler } from "../../model/gate-events.ts";
import { tailText, type CheckInput } from "../feedback/index.ts";
import { skippedCheck, skipReason } from "../local.ts";
import {
  buildJob,
  buildServiceAccount,
  CHECKS_CONTAINER,
  CLONE_CONTAINER,
  DEFAULT_SERVICE_ACCOUNT,
  LABELS,
} from "./manifest.ts";
import {
  assess,
  jobCheckResults,
  newestPod,
  setupFailure,
  type Assessment,
  type PodLike,
} from "./verdict.ts";
import { follow } from "./watch.ts";
import { formatDuration } from "../../source/duration.ts";
import { errorMessage } from "../../source/errors.ts";

/**
 * Runs a cluster tier: creates its Job, follows the Job and its pod by watching until there is a
 * verdict, reads the result summary and the log tail, and deletes the Job, also when interrupted.
 */

export interface JobTierOptions {
  resources: Resources;
  /** The commit to check out, its repository and (optionally) branch, all validated already. */
  commit: string;
  repo: string;
  branch?: string;
  changed?: readonly string[];
  base?: string;
  signal?: AbortSignal;
  onEvent?: GateEventHandler;
  /** Lines of log requested from the API server. Default 2000. */
  logTailLines?: number;
  /** Bytes of log tail kept. Default 256 KiB. */
  logBytes?: number;
  /** How long after the Job's deadline the gate waits for the Job controller's verdict. Default 2 min. */
  verdictGraceMs?: number;
  /** How long the pod may wait for cluster capacity before the tier is an ERROR. Default 60 s. */
  capacityGraceMs?: number;
  /** Job name suffix (tests); random by default. */
  suffix?: string;
}

export interface JobTierResult {
  checks: CheckInput[];
  /** Values of the tier's secrets, to mask in feedback. */
  secrets: string[];
  job?: { namespace: string; name: string };
}

const DEFAULT_LOG_LINES = 2000;
const DEFAULT_LOG_BYTES = 256 * 1024;
/** Upper bound of one log request, whatever the line count. */
const LOG_REQUEST_BYTES = 4 * 1024 * 1024;

export async function runJobTier(tier: ClusterTier, options: JobTierOptions): Promise<JobTierResult> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const { resources } = options;
  const skipped: CheckInput[] = [];
  const toRun = tier.checks.filter((check) => {
    const reason = skipReason(check, options.changed, options.base);
    if (reason === undefined) return true;
    skipped.push(skippedCheck(tier.name, check, reason));
    options.onEvent?.({ type: "check-skip", tier: tier.name, check: check.name, reason });
    return false;
  });
  // Results in configuration order, whichever ran.
  const ordered = (ran: CheckInput[]): CheckInput[] => {
    const extra = ran.filter((r) => !tier.checks.some((c) => c.name === r.name));
    const byName = new Map([...ran, ...skipped].map((r) => [r.name, r]));
    return [...extra, ...tier.checks.flatMap((c) => byName.get(c.name) ?? [])];
  };
  if (toRun.length === 0) return { checks: ordered([]), secrets: [] };
  const where = `${tier.namespace}/(not created)`;
  const fail = (reason: string, message: string, secrets: string[] = []): JobTierResult => ({
    checks: ordered(setupFailure(tier.name, toRun, where, reason, message, elapsed())),
    secrets,
  });

  let secrets: string[];
  try {
    secrets = await secretValues(resources, tier);
  } catch (error) {
    return fail("SecretUnavailable", errorMessage(error));
  }
  try {
    await ensureServiceAccount(resources, tier);
  } catch (error) {
    return fail("ServiceAccountUnavailable", errorMessage(error), secrets);
  }
  let job: KubeObject;
  try {
    job = buildJob({
      tier,
      checks: toRun,
      commit: options.commit,
      repo: options.repo,
      ...(options.branch !== undefined ? { branch: options.branch } : {}),
      ...(options.suffix !== undefined ? { suffix: options.suffix } : {}),
    });
  } catch (error) {
    return fail("UnsafeValue", errorMessage(error), secrets);
  }
  const name = job.metadata.name ?? "";
  const namespace = tier.namespace;
  if (options.signal?.aborted)
    return fail("Interrupted", "the gate was interrupted before the Job was created", secrets);
  try {
    await resources.create(job);
  } catch (error) {
    const hint = isNotFound(error) ? ` (does namespace ${namespace} exist?)` : "";
    return fail("JobNotCreated", `${errorMessage(error)}${hint}`, secrets);
  }
  options.onEvent?.({ type: "job-created", tier: tier.name, namespace, name, commit: options.commit });
  const ref = `${namespace}/${name}`;
  try {
    const deadlineMs = tier.deadline;
    const verdict = await waitForVerdict(resources, namespace, name, {
      timeoutMs: deadlineMs + (options.verdictGraceMs ?? 120_000),
      ...(options.capacityGraceMs !== undefined ? { capacityGraceMs: options.capacityGraceMs } : {}),
      signal: options.signal,
      onPhase: (phase) => options.onEvent?.({ type: "job-phase", tier: tier.name, phase }),
      fetchLog: (pod) => fetchLog(resources, namespace, pod, CHECKS_CONTAINER, options),
    });
    options.onEvent?.({ type: "job-phase", tier: tier.name, phase: describe(verdict.assessment) });
    let pod = verdict.pod;
    if (verdict.assessment.state === "finished" && !pod?.metadata.deletionTimestamp) {
      // The Job's condition can arrive before the pod's last update (or the pod itself) does on
      // the other watch: read the pods once more.
      const fresh = await resources
        .list({ apiVersion: "v1", kind: "Pod", namespace, labelSelector: `${LABELS.job}=${name}` })
        .then((list) => newestPod(list.items as unknown as PodLike[]))
        .catch(() => undefined);
      if (fresh) pod = fresh;
    }
    const podName = pod?.metadata.name;
    let log: string | undefined;
    let cloneLog: string | undefined;
    if (podName !== undefined && verdict.assessment.state === "finished") {
      log =
        (await fetchLog(resources, namespace, podName, CHECKS_CONTAINER, options)) ||
        (await verdict.earlyLog);
    }
    if (
      podName !== undefined &&
      verdict.assessment.state === "error" &&
      verdict.assessment.reason === "CloneFailed"
    ) {
      cloneLog = await fetchLog(resources, namespace, podName, CLONE_CONTAINER, options);
    }
    const checks = jobCheckResults({
      tier: tier.name,
      checks: toRun,
      assessment: verdict.assessment,
      ...(pod ? { pod } : {}),
      ...(log !== undefined ? { log } : {}),
      ...(cloneLog !== undefined ? { cloneLog } : {}),
      job: ref,
      deadlineSeconds: Math.ceil(deadlineMs / 1000),
      durationMs: elapsed(),
    });
    return { checks: ordered(checks), secrets, job: { namespace, name } };
  } finally {
    // Background propagation: the pod goes with the Job, without holding up the gate.
    await resources
      .delete({ apiVersion: "batch/v1", kind: "Job", namespace, name }, { propagation: "Background" })
      .then(
        () => options.onEvent?.({ type: "job-deleted", tier: tier.name, namespace, name }),
        (error: unknown) =>
          options.onEvent?.({
            type: "note",
            message: `could not delete Job ${ref}: ${errorMessage(error)} (its ttlSecondsAfterFinished removes it later)`,
          }),
      );
  }
}

function describe(assessment: Exclude<Assessment, { state: "running" }>): string {
  if (assessment.state === "error") return `error: ${assessment.reason}`;
  return assessment.outcome === "complete"
    ? "complete"
    : `failed${assessment.reason ? ` (${assessment.reason})` : ""}`;
}

/** Values of the tier's secrets: they are masked in feedback, so a Secret that cannot be read stops the tier. */
async function secretValues(resources: Resources, tier: ClusterTier): Promise<string[]> {
  const keys = tier.secrets ?? [];
  if (keys.length === 0 || tier.secretName === undefined) return [];
  const secret = await resources.get({
    apiVersion: "v1",
    kind: "Secret",
    namespace: tier.namespace,
    name: tier.secretName,
  });
  if (!secret)
    throw new Error(`Secret ${tier.namespace}/${tier.secretName} not found; create it or fix secretName`);
  const data = (secret.data ?? {}) as Record<string, string>;
  return keys.map((key) => {
    const encoded = data[key];
    if (encoded === undefined)
      throw new Error(`Secret ${tier.namespace}/${tier.secretName} has no key ${key}`);
    return Buffer.from(encoded, "base64").toString("utf8");
  });
}

/** The default service account is created when missing; one named in the configuration must exist. */
async function ensureServiceAccount(resources: Resources, tier: ClusterTier): Promise<void> {
  const name = tier.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT;
  const query = { apiVersion: "v1", kind: "ServiceAccount", namespace: tier.namespace, name };
  if (await resources.get(query)) return;
  if (tier.serviceAccount !== undefined)
    throw new Error(
      `service account ${tier.namespace}/${name} not found; create it or leave serviceAccount out`,
    );
  try {
    await resources.create(buildServiceAccount(name, tier.namespace));
  } catch (error) {
    if (!(error instanceof ApiError && error.reason === "AlreadyExists")) throw error;
  }
}

/** The end of a container's log, or undefined when there is none to read (pod gone, never started). */
async function fetchLog(
  resources: Resources,
  namespace: string,
  pod: string,
  container: string,
  options: Pick<JobTierOptions, "logTailLines" | "logBytes">,
): Promise<string | undefined> {
  try {
    const text = await resources.client.requestText(
      "GET",
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log`,
      {
        query: {
          container,
          tailLines: options.logTailLines ?? DEFAULT_LOG_LINES,
          limitBytes: LOG_REQUEST_BYTES,
        },
      },
    );
    return tailText(text, options.logBytes ?? DEFAULT_LOG_BYTES).text;
  } catch {
    return undefined;
  }
}

interface Verdict {
  assessment: Exclude<Assessment, { state: "running" }>;
  pod?: PodLike;
  /** The log read as soon as the deadline passed, before the Job controller deletes the pod. */
  earlyLog: Promise<string | undefined>;
}

interface WaitOptions {
  timeoutMs: number;
  capacityGraceMs?: number;
  signal?: AbortSignal;
  onPhase: (phase: string) => void;
  fetchLog: (pod: string) => Promise<string | undefined>;
}

function waitForVerdict(
  resources: Resources,
  namespace: string,
  name: string,
  options: WaitOptions,
): Promise<Verdict> {
  const watches = new AbortController();
  let job: KubeObject | undefined;
  const pods = new Map<string, PodLike>();
  const podSeenAt = new Map<string, number>();
  let lastPhase = "";
  let earlyLog: Promise<string | undefined> = Promise.resolve(undefined);
  let earlyLogStarted = false;
  return new Promise<Verdict>((resolve) => {
    let settled = false;
    // A verdict that changes with time alone (a wait for capacity running out) is looked at again.
    let recheck: NodeJS.Timeout | undefined;
    const settle = (assessment: Verdict["assessment"]): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(recheck);
      options.signal?.removeEventListener("abort", onAbort);
      watches.abort();
      const pod = newestPod(pods.values());
      resolve({ assessment, ...(pod ? { pod } : {}), earlyLog });
    };
    const evaluate = (): void => {
      const pod = newestPod(pods.values());
      const target = (
        job?.status as { conditions?: { type?: string; status?: string; reason?: string }[] } | undefined
      )?.conditions?.find((c) => c.type === "FailureTarget" && c.status === "True");
      if (target?.reason === "DeadlineExceeded" && !earlyLogStarted && pod?.metadata.name) {
        earlyLogStarted = true;
        earlyLog = options.fetchLog(pod.metadata.name);
      }
      const seenAt = pod?.metadata.name !== undefined ? podSeenAt.get(pod.metadata.name) : undefined;
      const a = assess(job as Parameters<typeof assess>[0], pod, {
        ...(seenAt !== undefined ? { podSeenAt: seenAt } : {}),
        ...(options.capacityGraceMs !== undefined ? { capacityGraceMs: options.capacityGraceMs } : {}),
      });
      if (a.state !== "running") return settle(a);
      clearTimeout(recheck);
      if (a.recheckInMs !== undefined) recheck = setTimeout(evaluate, a.recheckInMs);
      if (a.phase !== lastPhase) {
        lastPhase = a.phase;
        options.onPhase(a.phase);
      }
    };
    const onAbort = (): void =>
      settle({
        state: "error",
        reason: "Interrupted",
        message: "the gate was interrupted; the Job was deleted",
      });
    const timer = setTimeout(
      () =>
        settle({
          state: "error",
          reason: "NoVerdict",
          message: `the Job reached no verdict within ${formatDuration(options.timeoutMs, { decimals: 0 })} (deadline plus grace); last phase: ${lastPhase || "unknown"}`,
        }),
      options.timeoutMs,
    );
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const lost = (error: unknown): void =>
      settle({
        state: "error",
        reason: "WatchFailed",
        message: `lost track of the Job: ${errorMessage(error)}`,
      });
    follow(
      resources,
      { apiVersion: "batch/v1", kind: "Job", namespace, name },
      (type, object) => {
        if (type === "DELETED") {
          settle({ state: "error", reason: "JobDeleted", message: "the Job was deleted before it finished" });
          return;
        }
        job = object;
        evaluate();
      },
      watches.signal,
    ).catch(lost);
    follow(
      resources,
      { apiVersion: "v1", kind: "Pod", namespace, labelSelector: `${LABELS.job}=${name}` },
      (_type, object) => {
        // A deleted pod's last state still holds its termination message: keep it.
        if (object.metadata.name) {
          pods.set(object.metadata.name, object);
          if (!podSeenAt.has(object.metadata.name)) podSeenAt.set(object.metadata.name, Date.now());
        }
        evaluate();
      },
      watches.signal,
    ).catch(lost);
  });
}
