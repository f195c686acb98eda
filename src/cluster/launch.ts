import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { KubeClient } from "../kube/client.ts";
import { loadKubeconfig } from "../kube/kubeconfig.ts";
import { ClusterStartError } from "./errors.ts";
import type { ClusterEvent } from "../model/cluster-events.ts";
import type { BinaryPaths } from "./install/index.ts";
import { prepareContext, runContext, writeKubeconfigAt, type RunScope } from "./parts/context.ts";
import { apiServerPart } from "./parts/control-plane.ts";
import type { ClusterPart, PrepareContext } from "./parts/part.ts";
import { checkParts, PartsFailed, runParts, type PartProgress } from "./parts/run.ts";
import { teardownParts } from "./parts/teardown.ts";
import { createCertificateAuthority } from "./pki.ts";
import { allocatePorts } from "./ports.ts";
import type { ClusterState, PartRecord } from "./state.ts";
import { stateWriter, writeState } from "./state.ts";
import { versions } from "./versions.ts";
import { deadline } from "../source/deadline.ts";
import { toError } from "../source/errors.ts";

export interface LaunchRequest {
  name: string;
  dir: string;
  parts: readonly ClusterPart[];
  binaries: BinaryPaths;
  /** Where the API server listens (default 127.0.0.1), as the nodes' providers need it. */
  apiAddress?: string;
  nodes: number;
  gpusPerNode: number;
  timeoutMs: number;
  signal?: AbortSignal;
  emit: (event: ClusterEvent) => void;
}

/**
 * Sets up every part (files, ports, certificates), then runs them in their dependency order until all
 * are ready. A failed start undoes what it started and says why: a component that died explains more
 * than "timed out waiting for ...", which explains more than the timer itself.
 */
export async function launch(request: LaunchRequest): Promise<ClusterState> {
  checkParts(request.parts);
  const { state, prepare } = await setUp(request);
  const client = new KubeClient(await loadKubeconfig({ path: state.kubeconfig }));
  // The start's own abort: the outer signal, the timeout, or the first failure (a process that died).
  const abort = deadline(request.timeoutMs, request.signal);
  const writer = stateWriter(state);
  const records = new Map(request.parts.map((part, i) => [part.name, state.parts[i]]));
  const scope: RunScope = {
    client,
    signal: abort.signal,
    binaries: request.binaries,
    save: writer.save,
    flush: writer.flush,
    fail: abort.abort,
  };
  const clock = startClock();
  request.emit({ type: "cluster-phase", name: request.name, phase: "start", elapsedMs: 0 });
  try {
    await runParts(
      request.parts,
      (part) => runContext(prepare, records.get(part.name)!, scope),
      partProgress({ request, state, records, clock, fail: abort.abort }),
    );
    state.timings.nodesReadyMs = clock();
    request.emit({ type: "cluster-phase", name: request.name, phase: "nodes-ready", elapsedMs: clock() });
    writer.save();
    await writer.flush();
    request.emit({ type: "cluster-phase", name: request.name, phase: "ready", elapsedMs: clock() });
    return state;
  } catch (error) {
    await writer.flush().catch(() => {});
    throw await failedStart(request, state, explain(abort.signal.reason, error));
  } finally {
    abort.dispose();
    client.close();
  }
}

function startClock(): () => number {
  const started = Date.now();
  return () => Date.now() - started;
}

/** Records and reports each part's start and readiness; the API server's is the `api-ready` phase. */
function partProgress(run: {
  request: LaunchRequest;
  state: ClusterState;
  records: Map<string, PartRecord>;
  clock: () => number;
  fail: (reason: Error) => void;
}): PartProgress {
  const { request, state, records, clock } = run;
  const name = request.name;
  return {
    started: (part) => {
      const at = clock();
      records.get(part.name)!.startedMs = at;
      request.emit({ type: "cluster-part", name, part: part.name, phase: "started", elapsedMs: at });
    },
    ready: (part) => {
      const at = clock();
      records.get(part.name)!.readyMs = at;
      request.emit({ type: "cluster-part", name, part: part.name, phase: "ready", elapsedMs: at });
      if (part.name !== apiServerPart) return;
      state.timings.apiReadyMs = at;
      request.emit({ type: "cluster-phase", name, phase: "api-ready", elapsedMs: at });
    },
    failed: (reason) => run.fail(toError(reason)),
  };
}

/**
 * Undoes a failed start and builds its error. cluster.json goes with a complete teardown, so `list`
 * shows the directory (kept for its logs) as an incomplete start; it stays when some cleanup failed,
 * so that `down` can try again.
 */
async function failedStart(request: LaunchRequest, state: ClusterState, reason: Error): Promise<unknown> {
  const undone = await teardownParts(state.parts, { clusterName: request.name, dir: request.dir }).then(
    () => undefined,
    (error: unknown) => toError(error),
  );
  if (!undone) await rm(join(request.dir, "cluster.json"), { force: true });
  if (request.signal?.aborted) return request.signal.reason;
  const leftover = undone ? `\n${undone.message}; run \`kubeproof cluster down --name ${request.name}\`` : "";
  return new ClusterStartError(
    `local cluster "${request.name}" failed to start: ${reason.message}\n` +
      `component logs: ${join(request.dir, "logs")}${leftover}`,
    { cause: reason },
  );
}

/** The cluster's directory, named ports, CA, admin kubeconfig and every part's files; then cluster.json. */
async function setUp(request: LaunchRequest): Promise<{ state: ClusterState; prepare: PrepareContext }> {
  const { name, dir, parts } = request;
  await rm(dir, { recursive: true, force: true });
  for (const sub of ["logs", "pki", "kubeconfigs"]) await mkdir(join(dir, sub), { recursive: true });
  const [ports, ca] = await Promise.all([
    allocatePorts(parts.flatMap((part) => part.ports)),
    createCertificateAuthority(),
  ]);
  const server = `https://${request.apiAddress ?? "127.0.0.1"}:${ports[apiServerPart]}`;
  const basics = { clusterName: name, dir, server, ports, ca };
  const prepare = await prepareContext(basics);
  const kubeconfig = join(dir, "kubeconfig");
  await Promise.all([
    writeKubeconfigAt(
      kubeconfig,
      { commonName: "kubeproof-admin", organizations: ["system:masters"] },
      basics,
    ),
    ...parts.map((part) => part.prepare(prepare)),
  ]);
  const state: ClusterState = {
    name,
    dir,
    kubeconfig,
    server,
    createdAt: new Date().toISOString(),
    nodes: request.nodes,
    gpusPerNode: request.gpusPerNode,
    ports,
    parts: parts.map((part) => ({
      name: part.name,
      ...(part.provider ? { provider: part.provider } : {}),
      after: [...part.after],
      nodes: [...(part.nodes ?? [])],
      processes: [],
      resources: {},
    })),
    versions,
    timings: { apiReadyMs: 0, nodesReadyMs: 0 },
  };
  // Before any process starts, so that `down` knows every part of a start that never finished.
  await writeState(state);
  return { state, prepare };
}

/** What a failed start reports: the failure that aborted it, or every wait that timed out. */
function explain(abortReason: unknown, error: unknown): Error {
  const timedOut = !(abortReason instanceof Error) || abortReason.name === "TimeoutError";
  if (!timedOut) return abortReason;
  const errors = error instanceof PartsFailed ? error.errors : [error];
  const waits = errors.flatMap((e) =>
    e instanceof Error && e.message.startsWith("timed out waiting for ")
      ? [e.message.slice("timed out waiting for ".length)]
      : [],
  );
  if (waits.length > 0) return new ClusterStartError(`timed out waiting for ${waits.join(", ")}`);
  const first = errors[0];
  return toError(first);
}
