import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Resources } from "../kube/resources.ts";
import { isClusterTier, type ClusterTier, type GateConfig, type GateTier } from "./config.ts";
import type { GateEventHandler } from "../model/gate-events.ts";
import {
  buildFeedback,
  checkStatus,
  verdictOf,
  type CheckInput,
  type CheckStatus,
  type FeedbackDocument,
  type TierInput,
  type Verdict,
} from "./feedback/index.ts";
import { changedFiles, currentBranch, GitError, headCommit, isDirty, remoteUrl } from "./git.ts";
import { runJobTier } from "./job/run.ts";
import { CHECKOUT_DIR } from "./job/scripts.ts";
import { cloneUrlFromRemote, isSafeBranch } from "./job/validate.ts";
import { runLocalTier } from "./local.ts";
import { errorMessage } from "../source/errors.ts";

/**
 * `kubeproof gate`: the tiers in order, stopping after the first that does not pass, then one
 * feedback document over everything that ran. Cluster access is asked for only when a cluster tier
 * is about to run, so a local-only gate needs no kubeconfig.
 */

/** Exit codes of `kubeproof gate` per verdict (2 is a usage or configuration error, 130 an interrupt). */
export const GATE_EXIT_CODES: Record<Verdict, number> = { PASS: 0, FAIL: 1, TIMEOUT: 3, ERROR: 4 };

/** Wrong input to the gate (an unknown tier, a bad --base): exit code 2, nothing ran. */
export class GateUsageError extends Error {
  override name = "GateUsageError";
}

export interface GateOptions {
  config: GateConfig;
  /** The repository root (checks run there); `git` must know it for --base and cluster tiers. */
  root: string;
  /** Whether `root` is a git work tree. */
  isGitRepo: boolean;
  base?: string;
  jobs?: number;
  /** Run only these tiers (in configuration order). */
  only?: readonly string[];
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onEvent?: GateEventHandler;
  /** Cluster access, created on first use. */
  cluster?: () => Promise<Resources>;
  /**
   * The envtest assets directory, asked for once, before the first local tier runs: its checks get it as
   * `KUBEBUILDER_ASSETS` unless the environment or the check sets that (an unset one makes envtest hang).
   */
  envtestAssets?: () => Promise<string | undefined>;
  /** Size cap of the feedback document in bytes. */
  maxBytes?: number;
  /** Test hook: options passed to every Job tier. */
  jobOptions?: { verdictGraceMs?: number; capacityGraceMs?: number; suffix?: string };
}

export interface GateResult {
  verdict: Verdict;
  exitCode: number;
  feedback: FeedbackDocument;
  checks: CheckInput[];
}

function tierStatus(checks: readonly CheckInput[]): CheckStatus {
  const statuses = checks.map(checkStatus);
  if (statuses.every((s) => s === "skipped")) return "skipped";
  const verdict = verdictOf(statuses.filter((s) => s !== "skipped"));
  return verdict === "PASS"
    ? "passed"
    : verdict === "FAIL"
      ? "failed"
      : verdict === "TIMEOUT"
        ? "timedOut"
        : "error";
}

async function goModule(root: string): Promise<string | undefined> {
  try {
    const text = await readFile(join(root, "go.mod"), "utf8");
    return /^module\s+(\S+)/m.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

export async function runGate(options: GateOptions): Promise<GateResult> {
  const { config, root } = options;
  const names = new Set(config.tiers.map((t) => t.name));
  for (const name of options.only ?? []) {
    if (!names.has(name))
      throw new GateUsageError(`--tier ${name}: no such tier (tiers: ${[...names].join(", ")})`);
  }
  let changed: string[] | undefined;
  if (options.base !== undefined) {
    if (!options.isGitRepo) throw new GateUsageError(`--base needs a git repository; ${root} is not one`);
    try {
      changed = await changedFiles(root, options.base);
    } catch (error) {
      if (error instanceof GitError) throw new GateUsageError(error.message);
      throw error;
    }
  }
  const env = options.env ?? process.env;
  const checks: CheckInput[] = [];
  const tiers: TierInput[] = [];
  const secrets = new Set<string>();
  let stoppedBy: string | undefined;
  for (const tier of config.tiers) {
    const selected =
      options.only === undefined || options.only.length === 0 || options.only.includes(tier.name);
    const reason = !selected
      ? "not selected (--tier)"
      : options.signal?.aborted
        ? "interrupted"
        : stoppedBy !== undefined
          ? `tier ${stoppedBy} did not pass`
          : undefined;
    if (reason !== undefined) {
      tiers.push({ name: tier.name, skipped: reason });
      options.onEvent?.({ type: "tier-skip", tier: tier.name, reason });
      continue;
    }
    options.onEvent?.({
      type: "tier-begin",
      tier: tier.name,
      kind: isClusterTier(tier) ? "cluster" : "local",
      checks: tier.checks.length,
    });
    const started = performance.now();
    const results = await runTier(tier, options, changed, env, secrets);
    const durationMs = performance.now() - started;
    checks.push(...results);
    tiers.push({ name: tier.name, durationMs });
    const status = tierStatus(results);
    options.onEvent?.({ type: "tier-end", tier: tier.name, status, durationMs });
    if (status !== "passed" && status !== "skipped") stoppedBy = tier.name;
  }
  const module = await goModule(root);
  const feedback = buildFeedback(
    {
      checks,
      tiers,
      repoRoot: root,
      checkoutDirs: [CHECKOUT_DIR],
      ...(module !== undefined ? { goModule: module } : {}),
      secrets: [...secrets],
    },
    options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {},
  );
  return { verdict: feedback.verdict, exitCode: GATE_EXIT_CODES[feedback.verdict], feedback, checks };
}

async function withEnvtestAssets(env: NodeJS.ProcessEnv, options: GateOptions): Promise<NodeJS.ProcessEnv> {
  if (env.KUBEBUILDER_ASSETS || !options.envtestAssets) return env;
  const dir = await options.envtestAssets();
  return dir === undefined ? env : { ...env, KUBEBUILDER_ASSETS: dir };
}

async function runTier(
  tier: GateTier,
  options: GateOptions,
  changed: readonly string[] | undefined,
  env: NodeJS.ProcessEnv,
  secrets: Set<string>,
): Promise<CheckInput[]> {
  if (!isClusterTier(tier)) {
    for (const name of tier.secrets ?? []) {
      const value = env[name];
      if (value !== undefined && value !== "") secrets.add(value);
    }
    return runLocalTier(tier, {
      root: options.root,
      env: await withEnvtestAssets(env, options),
      ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
      ...(changed !== undefined ? { changed } : {}),
      ...(options.base !== undefined ? { base: options.base } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    });
  }
  const source = await jobSource(tier, options);
  if ("error" in source) return [tierError(tier, source.error)];
  if (!options.cluster) return [tierError(tier, "no cluster access configured for a cluster tier")];
  let resources: Resources;
  try {
    resources = await options.cluster();
  } catch (error) {
    return [tierError(tier, `cannot reach the cluster: ${errorMessage(error)}`)];
  }
  const result = await runJobTier(tier, {
    resources,
    commit: source.commit,
    repo: source.repo,
    ...(source.branch !== undefined ? { branch: source.branch } : {}),
    ...(changed !== undefined ? { changed } : {}),
    ...(options.base !== undefined ? { base: options.base } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...options.jobOptions,
  });
  for (const value of result.secrets) if (value !== "") secrets.add(value);
  return result.checks;
}

function tierError(tier: GateTier, error: string): CheckInput {
  return { tier: tier.name, name: "(job)", exitCode: null, durationMs: 0, error };
}

/** The commit, repository and branch a cluster tier checks out, each through its allow-list. */
async function jobSource(
  tier: ClusterTier,
  options: GateOptions,
): Promise<{ commit: string; repo: string; branch?: string } | { error: string }> {
  if (!options.isGitRepo)
    return { error: `a cluster tier checks out a commit, but ${options.root} is not a git repository` };
  let commit: string;
  try {
    commit = await headCommit(options.root);
  } catch (error) {
    return { error: `no commit to check out: ${errorMessage(error)}` };
  }
  let repo = tier.repo;
  if (repo === undefined) {
    const remote = await remoteUrl(options.root);
    if (remote === undefined)
      return { error: "no repo in the tier and no origin remote to clone from; set repo:" };
    repo = cloneUrlFromRemote(remote);
    if (repo === undefined)
      return {
        error: "the origin remote is not an http(s) or ssh URL without credentials; set repo: in the tier",
      };
  }
  const branchName = await currentBranch(options.root);
  let branch: string | undefined;
  if (branchName !== undefined && isSafeBranch(branchName)) branch = branchName;
  else if (branchName !== undefined)
    options.onEvent?.({
      type: "note",
      message: `branch name ${JSON.stringify(branchName)} is not passed to the Job (only [A-Za-z0-9._/-] names are)`,
    });
  if (await isDirty(options.root).catch(() => false))
    options.onEvent?.({
      type: "note",
      message: `tier ${tier.name} checks out commit ${commit.slice(0, 12)}; uncommitted changes are not part of it`,
    });
  return { commit, repo, ...(branch !== undefined ? { branch } : {}) };
}
