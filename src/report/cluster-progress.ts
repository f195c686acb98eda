import pc from "picocolors";
import type { ClusterEvent } from "../model/cluster-events.ts";
import { formatDuration } from "../source/duration.ts";

/**
 * Renders install and cluster start progress on stderr: one line per milestone, and during a long Go
 * build a heartbeat with what is compiling and the elapsed time (rewritten in place on a TTY, every 15 s
 * otherwise so CI logs show life without flooding).
 */
export class ClusterProgressReporter {
  private lastHeartbeat = 0;
  private liveLine = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly quiet = false,
  ) {}

  readonly onEvent = (event: ClusterEvent): void => {
    if (this.quiet) return;
    switch (event.type) {
      case "lock-wait":
        return this.line(`waiting for another kubeproof install to finish (pid ${event.holderPid})`);
      case "source-skipped":
        return this.line(
          pc.dim(`${event.component}: ${event.source} source not used: ${firstLine(event.reason)}`),
        );
      case "resolved":
        if (event.source === "dir" || event.source === "cache") return;
        return this.line(`${event.component}: installed from ${event.source} into ${event.dir}`);
      case "download-progress":
        return this.heartbeat(
          `${event.component}: downloading ${event.file} ${mb(event.bytes)}${event.totalBytes ? ` of ${mb(event.totalBytes)}` : ""}`,
        );
      case "build-start":
        return this.line(
          `${event.component}: building ${event.binaries.join(", ")} from Go modules (a cold build takes many minutes on 2 cores)`,
        );
      case "build-phase":
        return this.line(
          pc.dim(
            `${event.component}: ${event.phase === "download-modules" ? "downloading Go modules" : event.phase}`,
          ),
        );
      case "build-progress":
        return this.heartbeat(
          `${event.component}: ${formatDuration(event.elapsedMs, { decimals: 0 })} elapsed, ${event.packages} packages compiled, now ${event.current}`,
        );
      case "build-done":
        return this.line(`${event.component}: built in ${formatDuration(event.elapsedMs, { decimals: 0 })}`);
      case "system-packages":
        return this.line(`installing system packages for real nodes: ${event.command}`);
      case "cluster-phase":
        if (event.phase === "install") return;
        if (event.phase === "start") return this.line(`starting local cluster "${event.name}"`);
        return this.line(
          pc.dim(`  ${event.phase} after ${formatDuration(event.elapsedMs, { decimals: 1 })}`),
        );
      case "cluster-part":
        // Each part's start and readiness is for tests and benchmarks; the phases say enough here.
        return;
      case "cluster-reused":
        return this.line(`reusing running local cluster "${event.name}"`);
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  };

  private heartbeat(text: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns || 120) - 1)}`);
      this.liveLine = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastHeartbeat < 15_000) return;
    this.lastHeartbeat = now;
    this.stream.write(`${text}\n`);
  }

  private line(text: string): void {
    if (this.liveLine) {
      this.stream.write("\r\x1b[2K");
      this.liveLine = false;
    }
    this.stream.write(`${text}\n`);
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
