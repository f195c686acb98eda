import type { KubeClient } from "../../kube/client.ts";
import { pause } from "../../kube/observe.ts";
import type { KubeObject } from "../../kube/resources.ts";
import { apiErrorMessage } from "../common.ts";
import type { LogVerdict } from "./judge.ts";

interface FollowerInit {
  client: KubeClient;
  pod: KubeObject;
  /** The container the operation names; undefined takes the pod's only container. */
  container: string | undefined;
  signal: AbortSignal;
  judge: (log: string) => LogVerdict;
  /** Called after every new verdict or error. */
  onChange: () => void;
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { running?: unknown; terminated?: unknown; waiting?: unknown };
}

/**
 * Follows one pod's container log once the container has started: a snapshot first (what the log
 * holds now, judged as one read, as a poll would see it), then the stream, judged at every chunk once
 * it has caught up with the snapshot, so a half-delivered backlog is never judged on its own. A
 * container that restarts is followed again from its new log.
 */
export class LogFollower {
  verdict: LogVerdict | undefined;
  error: string | undefined;
  log = "";
  private followed: string | undefined;
  private running: Promise<void> = Promise.resolve();
  /** Why the container has not started yet (`ContainerCreating`), while it has not. */
  waiting: string | undefined = "not started";
  /** The followed container has terminated, in the latest state of the pod. */
  private terminated = false;

  constructor(private readonly init: FollowerInit) {}

  /** A new state of the pod: starts following when its container has started (again). */
  update(pod: KubeObject): void {
    if (this.error !== undefined) return;
    const name = this.init.container ?? this.onlyContainer(pod);
    if (name === undefined) return;
    const status = containerStatus(pod, name);
    this.terminated = status?.state?.terminated !== undefined;
    if (!status?.state || (status.state.running === undefined && status.state.terminated === undefined)) {
      const reason = (status?.state?.waiting as { reason?: string } | undefined)?.reason;
      this.waiting = `container ${name} is waiting to start${reason ? `: ${reason}` : ""}`;
      return;
    }
    this.waiting = undefined;
    const key = `${status.restartCount ?? 0}`;
    if (key === this.followed) return;
    this.followed = key;
    const previous = this.running;
    this.running = previous.then(() => this.follow(name));
  }

  stopped(): Promise<void> {
    return this.running;
  }

  private onlyContainer(pod: KubeObject): string | undefined {
    const containers = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map(
      (c) => c.name,
    );
    if (containers.length === 1) return containers[0];
    this.error = `pod ${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""} has containers ${containers.join(", ")}: name one with container`;
    this.init.onChange();
    return undefined;
  }

  private async follow(container: string): Promise<void> {
    const { client, pod, signal, judge, onChange } = this.init;
    const path = `/api/v1/namespaces/${pod.metadata.namespace ?? ""}/pods/${pod.metadata.name ?? ""}/log`;
    while (!signal.aborted) {
      try {
        const snapshot = await client.requestText("GET", path, { query: { container }, signal });
        this.log = snapshot;
        this.verdict = judge(snapshot);
        onChange();
        let streamed = "";
        await client.streamText(
          path,
          { container, follow: true },
          (chunk) => {
            streamed += chunk;
            if (streamed.length < snapshot.length) return;
            this.log = streamed;
            this.verdict = judge(streamed);
            onChange();
          },
          signal,
        );
      } catch (error) {
        if (signal.aborted) return;
        this.error = `reading the log of ${pod.metadata.name ?? ""} [${container}]: ${apiErrorMessage(error)}`;
        onChange();
        return;
      }
      // The stream ends when the container does (a restart is picked up by `update`), or when the API
      // server drops it. Read again while the verdict is open: a kubelet under load has been seen to
      // answer a terminated container's log with an error text before its log file is there.
      if (this.terminated && this.verdict?.state !== "pending") return;
      await pause(1000, signal);
    }
  }
}

function containerStatus(pod: KubeObject, name: string): ContainerStatus | undefined {
  const status = pod.status as
    { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[] } | undefined;
  return [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])].find(
    (c) => c.name === name,
  );
}
