import * as z from "zod";
import { formatDuration } from "../source/duration.ts";
import { issueParams, timeout, withExpected } from "../source/schema-kit.ts";
import { parseQuantity } from "../template/quantity.ts";
import { EMBEDDED_CLUSTER_SECONDS } from "./job/embedded.ts";
import { REPO_URL_PATTERN } from "./job/validate.ts";

/**
 * The `gate:` section of kubeproof.yaml: tiers in order, each a list of checks. A tier without
 * `kind` runs its checks on this machine; `kind: cluster` runs them in a Kubernetes Job that checks
 * out the exact commit. Durations are milliseconds once parsed.
 */

/** Most checks a cluster tier holds: their results must fit the 4 KiB termination message. */
export const MAX_CLUSTER_CHECKS = 20;
/** Seconds the Job runner gives a timed-out check between SIGTERM and SIGKILL. */
export const KILL_GRACE_SECONDS = 5;
/** Default budget for checking out the commit in the Job's init container. */
export const DEFAULT_CLONE_TIMEOUT_MS = 2 * 60_000;

// Tier names become part of Job names and labels, so they follow DNS label rules (and stay short).
const tierName = withExpected(
  z.string().regex(/^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/, { error: "invalid tier name" }),
  "lowercase letters, digits and '-', at most 30 characters",
);
// Check names end up in a JSON summary built by a shell script and in log markers.
const checkName = withExpected(
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, { error: "invalid check name" }),
  "letters, digits, '.', '_' and '-', at most 63 characters",
);
const ENV_EXPECTED = "an environment variable name ([A-Za-z_][A-Za-z0-9_]*, not starting with KUBEPROOF_)";

function envNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return `invalid environment variable name ${JSON.stringify(name)}`;
  if (name.startsWith("KUBEPROOF_")) return "names starting with KUBEPROOF_ are reserved for the gate";
  return undefined;
}

const envName = withExpected(
  z.string().superRefine((name, ctx) => {
    const problem = envNameProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  }),
  ENV_EXPECTED,
);

/** Variables by name; the names are checked one by one so each error points at its key. */
const envMap = z.record(z.string(), z.string()).superRefine((env, ctx) => {
  for (const name of Object.keys(env)) {
    const problem = envNameProblem(name);
    if (problem !== undefined)
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: problem,
        params: issueParams({ expected: ENV_EXPECTED }),
      });
  }
});
const dnsLabel = withExpected(
  z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, { error: "invalid name" }),
  "a Kubernetes name (lowercase letters, digits and '-', at most 63 characters)",
);
const quantity = withExpected(
  z
    .union([z.string(), z.number().positive()])
    .transform((value) => String(value))
    .refine((text) => parseQuantity(text) !== undefined, { error: "invalid quantity" }),
  "a Kubernetes quantity such as 500m, 2, 4Gi",
);
const resourceList = z.strictObject({
  cpu: quantity.optional(),
  memory: quantity.optional(),
  "ephemeral-storage": quantity.optional(),
});

const check = z.strictObject({
  name: checkName.describe("Unique within its tier; shown in feedback."),
  run: z.string().min(1).describe("A shell command, run with bash when available, else sh."),
  timeout: timeout("The check is stopped (its whole process group) after this long."),
  paths: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe("Globs (`**` for any depth); with --base the check runs only when a matching file changed."),
  env: envMap.optional().describe("Extra environment variables for this check only."),
});

const localTier = z.strictObject({
  name: tierName,
  kind: z.literal("local").optional().describe("Run on this machine (the default)."),
  checks: z.array(check).min(1),
  secrets: z
    .array(envName)
    .optional()
    .describe("Environment variables whose values are masked in all feedback."),
});

const clusterTier = z.strictObject({
  name: tierName,
  kind: z.literal("cluster").describe("Run the checks in a Kubernetes Job on the exact commit."),
  image: withExpected(
    z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/, { error: "invalid image reference" }),
    "an image reference such as ghcr.io/example/ci:1",
  ).describe("Needs sh, git and the project's toolchain."),
  repo: withExpected(
    z.string().regex(REPO_URL_PATTERN, { error: "invalid repository URL" }),
    "an http(s) URL without credentials, query or fragment, such as https://github.com/example/app.git",
  )
    .optional()
    .describe("Where the Job clones from (default: the `origin` remote)."),
  namespace: dnsLabel.describe("Namespace of the Job; it must exist."),
  cluster: z
    .literal("embedded")
    .optional()
    .describe(
      "`embedded`: the Job starts kubeproof's local cluster in its pod; the checks get its KUBECONFIG.",
    ),
  deadline: timeout("The Job's activeDeadlineSeconds."),
  cloneTimeout: timeout("Budget for checking out the commit (default 2m).").optional(),
  serviceAccount: dnsLabel
    .optional()
    .describe("Service account of the pod (default kubeproof-gate, created when missing)."),
  resources: z
    .strictObject({ requests: resourceList.optional(), limits: resourceList.optional() })
    .optional()
    .describe("Requests and limits of each container (defaults include ephemeral storage)."),
  secretName: dnsLabel.optional().describe("A Secret in the namespace whose keys `secrets` names."),
  secrets: z
    .array(envName)
    .optional()
    .describe("Keys of `secretName`, given to the checks as environment variables and masked in feedback."),
  nodeSelector: z.record(z.string(), z.string()).optional(),
  podAnnotations: z
    .record(z.string(), z.string())
    .optional()
    .describe("Annotations on the pod (also the testing hook that scripts simulated pods)."),
  runAsUser: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("Non-root user id of the containers (default 1000)."),
  checks: z.array(check).min(1).max(MAX_CLUSTER_CHECKS),
});

export type GateCheck = z.output<typeof check>;
export type LocalTier = z.output<typeof localTier> & { kind?: "local" };
export type ClusterTier = z.output<typeof clusterTier>;
export type GateTier = LocalTier | ClusterTier;
export type ResourceList = z.output<typeof resourceList>;

export interface GateConfig {
  tiers: GateTier[];
}

export const TIER_KINDS = ["local", "cluster"] as const;

export function isClusterTier(tier: GateTier): tier is ClusterTier {
  return tier.kind === "cluster";
}

/** The schema of one tier, chosen by its `kind` (absent means local). */
export function tierSchema(kind: "local" | "cluster"): typeof localTier | typeof clusterTier {
  return kind === "cluster" ? clusterTierSchema : localTier;
}

/** Seconds a cluster tier's pod needs at most: the clone, an embedded cluster, then every check up to its kill. */
export function clusterBudgetSeconds(tier: ClusterTier): number {
  const clone = Math.ceil((tier.cloneTimeout ?? DEFAULT_CLONE_TIMEOUT_MS) / 1000);
  const cluster = tier.cluster === "embedded" ? EMBEDDED_CLUSTER_SECONDS : 0;
  return tier.checks.reduce(
    (sum, c) => sum + Math.ceil(c.timeout / 1000) + KILL_GRACE_SECONDS,
    clone + cluster,
  );
}

/**
 * A check that outlives its own timeout must still be stopped by the runner, not by the Job's
 * deadline: the runner reports which check it was and keeps its log, the deadline deletes the pod.
 */
const clusterTierSchema = clusterTier.superRefine((tier, ctx) => {
  const budget = clusterBudgetSeconds(tier);
  if (budget * 1000 >= tier.deadline) {
    ctx.addIssue({
      code: "custom",
      path: ["deadline"],
      message: `the deadline ${formatDuration(tier.deadline)} does not leave room for the checks`,
      params: issueParams({
        expected: `more than ${formatDuration(budget * 1000)} (the clone budget, ${tier.cluster === "embedded" ? `${formatDuration(EMBEDDED_CLUSTER_SECONDS * 1000)} to start and stop the embedded cluster, ` : ""}plus each check's timeout and ${KILL_GRACE_SECONDS}s to stop it)`,
        hint: "raise the deadline or lower the check timeouts",
      }),
    });
  }
  if (tier.secrets !== undefined && tier.secrets.length > 0 && tier.secretName === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["secrets"],
      message: "secrets of a cluster tier are keys of a Secret",
      params: issueParams({
        expected: "secretName next to secrets",
        hint: "add secretName: <a Secret in the namespace>",
      }),
    });
  }
});

/** Names must be unique: feedback, log markers and the Job summary refer to checks by name. */
export const gateSchema = z.strictObject({
  tiers: z.array(z.unknown()).min(1),
});

/**
 * The whole section in one schema, for the editor JSON Schema only: validation checks each tier
 * against its own kind's schema instead, which gives far clearer errors than a union.
 */
export const gateEditorSchema = z.strictObject({
  tiers: z.array(z.union([localTier, clusterTier])).min(1),
});
