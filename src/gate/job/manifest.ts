import { randomBytes } from "node:crypto";
import type { KubeObject } from "../../kube/resources.ts";
import { parseQuantity, quantityToNumber } from "../../template/quantity.ts";
import {
  DEFAULT_CLONE_TIMEOUT_MS,
  KILL_GRACE_SECONDS,
  type ClusterTier,
  type GateCheck,
  type ResourceList,
} from "../config.ts";
import { CHECKOUT_DIR, CLONE_SCRIPT, RUNNER_SCRIPT, WORKSPACE_DIR } from "./scripts.ts";
import { EMBEDDED_RUNNER_SCRIPT, embeddedClusterEnv } from "./embedded.ts";
import { isCommitSha, isDnsLabel, isRepoUrl, isSafeBranch } from "./validate.ts";

/**
 * The Job of a cluster tier: a clean room that checks out one commit and runs the checks in order.
 * Everything here is a default a reviewer should find without reading the code: the security
 * settings match the Pod Security "restricted" profile, and resources are always bounded.
 */

export const DEFAULT_SERVICE_ACCOUNT = "kubeproof-gate";
export const CLONE_CONTAINER = "clone";
export const CHECKS_CONTAINER = "checks";
/** The backstop when the gate itself dies before deleting its Job. */
export const TTL_SECONDS_AFTER_FINISHED = 3600;
export const DEFAULT_RUN_AS_USER = 1000;
export const LABELS = {
  managedBy: "app.kubernetes.io/managed-by",
  component: "app.kubernetes.io/component",
  tier: "kubeproof.dev/gate-tier",
  job: "kubeproof.dev/gate-job",
} as const;

export const DEFAULT_RESOURCES: { requests: Required<ResourceList>; limits: Required<ResourceList> } = {
  requests: { cpu: "1", memory: "2Gi", "ephemeral-storage": "2Gi" },
  limits: { cpu: "2", memory: "4Gi", "ephemeral-storage": "10Gi" },
};

export interface JobInput {
  tier: ClusterTier;
  /** The checks to run (those `paths` did not skip), in order. */
  checks: readonly GateCheck[];
  commit: string;
  repo: string;
  branch?: string;
  /** Five random [a-z0-9] characters; generated when absent. */
  suffix?: string;
}

/** Rejects anything that did not pass the allow-lists: the manifest is the last place to catch it. */
export class UnsafeValueError extends Error {
  override name = "UnsafeValueError";
}

export function randomSuffix(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** `kp-gate-<tier>-<sha8>-<suffix>`, at most 63 characters whatever the tier name. */
export function jobName(tier: string, commit: string, suffix: string): string {
  const tail = `-${commit.slice(0, 8)}-${suffix}`;
  const head = `kp-gate-${tier}`.slice(0, 63 - tail.length).replace(/-+$/, "");
  return `${head}${tail}`;
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}

const RESOURCE_NAMES = ["cpu", "memory", "ephemeral-storage"] as const;

function amount(text: string): number {
  const q = parseQuantity(text);
  return q === undefined ? Number.NaN : quantityToNumber(q);
}

/**
 * The configured requests and limits over the defaults. A value set on one side only pulls the
 * other along where the default would contradict it (a request above its limit is refused by the
 * API server): setting `limits.cpu: 500m` alone makes the request 500m too.
 */
export function containerResources(tier: ClusterTier): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  for (const name of RESOURCE_NAMES) {
    const setRequest = tier.resources?.requests?.[name];
    const setLimit = tier.resources?.limits?.[name];
    let request = setRequest ?? DEFAULT_RESOURCES.requests[name];
    let limit = setLimit ?? DEFAULT_RESOURCES.limits[name];
    if (amount(request) > amount(limit)) {
      if (setRequest === undefined) request = limit;
      else if (setLimit === undefined) limit = request;
    }
    requests[name] = request;
    limits[name] = limit;
  }
  return { requests, limits };
}

/**
 * A string the kubelet passes on as written. It expands `$(NAME)` in a container's command, args
 * and env values (NAME an earlier variable) and turns `$$` into `$`; kwok does not, so only a real
 * node shows it: `echo $$` in a check, or `\$$1` in a script, would lose a `$`. Every `$` doubled
 * comes out as one, and `$$(NAME)` as the literal `$(NAME)`.
 */
export function literal(text: string): string {
  return text.replace(/\$/g, () => "$$");
}

function env(name: string, value: string): { name: string; value: string } {
  return { name, value: literal(value) };
}

/** The checks as environment variables of the runner (see scripts.ts for why not one JSON value). */
function checkEnv(checks: readonly GateCheck[]): { name: string; value: string }[] {
  const out = [env("KUBEPROOF_CHECK_COUNT", String(checks.length))];
  checks.forEach((check, i) => {
    const prefix = `KUBEPROOF_CHECK_${i}_`;
    out.push(env(`${prefix}NAME`, check.name), env(`${prefix}RUN`, check.run));
    out.push(env(`${prefix}TIMEOUT`, String(seconds(check.timeout))));
    const vars = Object.entries(check.env ?? {});
    out.push(env(`${prefix}ENV_COUNT`, String(vars.length)));
    vars.forEach(([name, value], j) => {
      out.push(env(`${prefix}ENV_${j}_NAME`, name), env(`${prefix}ENV_${j}_VALUE`, value));
    });
  });
  return out;
}

const containerSecurityContext = {
  allowPrivilegeEscalation: false,
  privileged: false,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export function buildJob(input: JobInput): KubeObject {
  const { tier, checks, commit, repo, branch } = input;
  if (!isCommitSha(commit)) throw new UnsafeValueError(`not a commit SHA: ${JSON.stringify(commit)}`);
  if (!isRepoUrl(repo)) throw new UnsafeValueError(`not an allowed repository URL: ${JSON.stringify(repo)}`);
  if (branch !== undefined && !isSafeBranch(branch))
    throw new UnsafeValueError(`not an allowed branch name: ${JSON.stringify(branch)}`);
  if (checks.length === 0) throw new UnsafeValueError("a Job needs at least one check");
  const name = jobName(tier.name, commit, input.suffix ?? randomSuffix());
  if (!isDnsLabel(name)) throw new UnsafeValueError(`not a valid Job name: ${JSON.stringify(name)}`);
  const labels = {
    [LABELS.managedBy]: "kubeproof",
    [LABELS.component]: "gate",
    [LABELS.tier]: tier.name,
    [LABELS.job]: name,
  };
  const resources = containerResources(tier);
  const uid = tier.runAsUser ?? DEFAULT_RUN_AS_USER;
  const shared = [
    env("HOME", `${WORKSPACE_DIR}/home`),
    env("TMPDIR", `${WORKSPACE_DIR}/tmp`),
    env("KUBEPROOF_WORKDIR", CHECKOUT_DIR),
  ];
  const mounts = [{ name: "workspace", mountPath: WORKSPACE_DIR }];
  const secretEnv = (tier.secrets ?? []).map((key) => ({
    name: key,
    valueFrom: { secretKeyRef: { name: tier.secretName ?? "", key } },
  }));
  const deadline = seconds(tier.deadline);
  const embedded = tier.cluster === "embedded";
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: tier.namespace,
      labels,
      annotations: {
        "kubeproof.dev/commit": commit,
        "kubeproof.dev/repo": repo,
        ...(branch !== undefined ? { "kubeproof.dev/branch": branch } : {}),
      },
    },
    spec: {
      // One attempt: a failing check is a result, not a reason to retry.
      backoffLimit: 0,
      activeDeadlineSeconds: deadline,
      ttlSecondsAfterFinished: TTL_SECONDS_AFTER_FINISHED,
      // A node drain or preemption is not the change's fault: such a pod is replaced, not counted.
      podFailurePolicy: {
        rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget", status: "True" }] }],
      },
      template: {
        metadata: { labels, ...(tier.podAnnotations ? { annotations: { ...tier.podAnnotations } } : {}) },
        spec: {
          restartPolicy: "Never",
          serviceAccountName: tier.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: uid,
            runAsGroup: uid,
            fsGroup: uid,
            seccompProfile: { type: "RuntimeDefault" },
          },
          ...(tier.nodeSelector ? { nodeSelector: { ...tier.nodeSelector } } : {}),
          initContainers: [
            {
              name: CLONE_CONTAINER,
              image: tier.image,
              command: ["sh", "-c", literal(CLONE_SCRIPT)],
              workingDir: WORKSPACE_DIR,
              env: [
                ...shared,
                env("KUBEPROOF_REPO", repo),
                env("KUBEPROOF_SHA", commit),
                env("KUBEPROOF_BRANCH", branch ?? ""),
                env(
                  "KUBEPROOF_CLONE_TIMEOUT",
                  String(seconds(tier.cloneTimeout ?? DEFAULT_CLONE_TIMEOUT_MS)),
                ),
                env("GIT_TERMINAL_PROMPT", "0"),
                env("GIT_CONFIG_NOSYSTEM", "1"),
                // No ext::, file:// or ssh transports, for the repository or any submodule.
                env("GIT_ALLOW_PROTOCOL", "https:http"),
              ],
              resources,
              securityContext: containerSecurityContext,
              volumeMounts: mounts,
              terminationMessagePath: "/dev/termination-log",
              // A clone that dies without writing its reason still reports its last log lines.
              terminationMessagePolicy: "FallbackToLogsOnError",
            },
          ],
          containers: [
            {
              name: CHECKS_CONTAINER,
              image: tier.image,
              command: ["sh", "-c", literal(embedded ? EMBEDDED_RUNNER_SCRIPT : RUNNER_SCRIPT)],
              workingDir: WORKSPACE_DIR,
              env: [
                ...shared,
                env("CI", "true"),
                env("KUBEPROOF_GATE", "1"),
                env("KUBEPROOF_COMMIT", commit),
                env("KUBEPROOF_KILL_GRACE", String(KILL_GRACE_SECONDS)),
                ...checkEnv(checks),
                ...(embedded ? embeddedClusterEnv().map((e) => env(e.name, e.value)) : []),
                ...secretEnv,
              ],
              resources,
              securityContext: containerSecurityContext,
              volumeMounts: mounts,
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          volumes: [{ name: "workspace", emptyDir: { sizeLimit: resources.limits["ephemeral-storage"] } }],
        },
      },
    },
  };
}

export function buildServiceAccount(name: string, namespace: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace, labels: { [LABELS.managedBy]: "kubeproof", [LABELS.component]: "gate" } },
    // The checks get no API credentials: a clean room, not a foothold in the cluster.
    automountServiceAccountToken: false,
  };
}
