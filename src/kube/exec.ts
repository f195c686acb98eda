import { PassThrough } from "node:stream";
import { formatDuration } from "../source/duration.ts";
import { toError } from "../source/errors.ts";

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** The command's exit code, from the API server's final Status (0 on Success). */
  exitCode: number;
}

/**
 * Runs a command in a container through the API server (the exec subresource over WebSocket), using
 * client-node, which is loaded only when exec is used.
 */
export async function execInPod(options: {
  kubeconfig: string;
  context?: string;
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  timeoutMs?: number;
}): Promise<ExecResult> {
  const { Exec, KubeConfig } = await import("@kubernetes/client-node");
  const config = new KubeConfig();
  config.loadFromFile(options.kubeconfig);
  if (options.context) config.setCurrentContext(options.context);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => out.push(chunk));
  stderr.on("data", (chunk: Buffer) => err.push(chunk));
  const timeoutMs = options.timeoutMs ?? 60_000;
  const exitCode = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `exec in ${options.namespace}/${options.pod} timed out after ${formatDuration(timeoutMs)}`,
          ),
        ),
      timeoutMs,
    );
    new Exec(config)
      .exec(
        options.namespace,
        options.pod,
        options.container,
        options.command,
        stdout,
        stderr,
        null,
        false,
        (status) => {
          clearTimeout(timer);
          if (status.status === "Success") return resolve(0);
          const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
          if (cause?.message !== undefined) return resolve(Number(cause.message));
          // kwok (the local cluster's kubelet) reports a non-zero exit as an internal error ending in
          // Go's "exit status N" rather than an ExitCode cause; it is still the command's exit code.
          const goExit = /exit status (\d+)$/.exec(status.message ?? "");
          if (goExit) return resolve(Number(goExit[1]));
          reject(
            new Error(
              `exec in ${options.namespace}/${options.pod} failed: ${status.message ?? status.reason ?? "unknown"}`,
            ),
          );
        },
      )
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(toError(error));
      });
  });
  return {
    stdout: Buffer.concat(out).toString("utf8"),
    stderr: Buffer.concat(err).toString("utf8"),
    exitCode,
  };
}
