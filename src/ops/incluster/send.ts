import type { ProbeTransport } from "../../model/index.ts";
import { errorMessage } from "../../source/errors.ts";
import { formatDuration } from "../../source/duration.ts";
import type { OperationContext } from "../types.ts";
import { sendFromClientPod } from "./client-pod.ts";
import { asServiceTarget, chooseTransport, type ResolvedTarget } from "./target.ts";
import { formatRequest, parseResponse } from "./wire.ts";

/** A request with every value resolved, ready to send any number of times. */
export interface PreparedRequest {
  target: ResolvedTarget;
  method: string;
  /** Path and query, from `/`. */
  path: string;
  scheme: "http" | "https";
  headers: Record<string, string>;
  /** Lower-case names of headers whose values came from secrets: masked wherever shown. */
  secretHeaders: string[];
  body?: string;
  timeoutMs: number;
  transport: "proxy" | "pod";
}

/** One response, as it is bound (`$response`) and shown in failures. */
export interface ProbeResponse {
  /** null when no answer came (transport error). */
  status: number | null;
  headers: Record<string, string>;
  body: string;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown;
  durationMs: number;
  /** What went wrong before an answer: refused, timed out, no such pod. */
  error: string | null;
  /** Attempts this response took (retries + 1). */
  attempts: number;
  transport: "proxy" | "pod";
}

export function prepareTransport(
  wanted: ProbeTransport,
  target: ResolvedTarget,
  headers: Record<string, string>,
): { target: ResolvedTarget; transport: "proxy" | "pod" } {
  const normalized = wanted === "pod" ? target : asServiceTarget(target);
  return { target: normalized, transport: chooseTransport(wanted, normalized, headers) };
}

/** The URL the request is for, as a person reads it (and as a failure shows it). */
export function describeTarget(request: PreparedRequest): string {
  const t = request.target;
  switch (t.kind) {
    case "service":
      return `${request.scheme}://${t.name}.${t.namespace}.svc:${t.port}${request.path}`;
    case "pod":
      return `${request.scheme}://${t.ip || t.name}:${t.port}${request.path} (pod ${t.namespace}/${t.name})`;
    case "url":
      return new URL(request.path, t.url).toString();
    case "apiServer":
      return `the API server ${request.path}`;
    case "node":
      return `node ${t.name} (kubelet) ${request.path}`;
  }
}

/** The API server path that proxies the request. */
function proxyPath(request: PreparedRequest): string {
  const t = request.target;
  const scheme = request.scheme === "https" ? "https:" : "";
  switch (t.kind) {
    case "service":
      return `/api/v1/namespaces/${t.namespace}/services/${scheme}${t.name}:${t.port}/proxy${request.path}`;
    case "pod":
      return `/api/v1/namespaces/${t.namespace}/pods/${scheme}${t.name}:${t.port}/proxy${request.path}`;
    case "node":
      return `/api/v1/nodes/${t.name}/proxy${request.path}`;
    case "apiServer":
      return request.path;
    case "url":
      throw new Error("a URL target is not proxied (chooseTransport sends it through the client pod)");
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return null;
  }
}

function responseOf(
  request: PreparedRequest,
  startedAt: number,
  answer: { status: number; headers: Record<string, string>; body: string } | { error: string },
): ProbeResponse {
  const base = { durationMs: Math.round((performance.now() - startedAt) * 100) / 100, attempts: 1 };
  if ("error" in answer)
    return {
      status: null,
      headers: {},
      body: "",
      json: null,
      error: answer.error,
      transport: request.transport,
      ...base,
    };
  return { ...answer, json: parseJson(answer.body), error: null, transport: request.transport, ...base };
}

/** Sends the request once; a transport failure is a response with `error`, never a throw. */
export async function sendOnce(request: PreparedRequest, context: OperationContext): Promise<ProbeResponse> {
  const startedAt = performance.now();
  try {
    if (request.transport === "proxy") {
      const answer = await context.client.requestRaw(request.method, proxyPath(request), {
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body, contentType: contentType(request) }),
        signal: context.signal,
        timeoutMs: request.timeoutMs,
      });
      return responseOf(request, startedAt, answer);
    }
    const { host, port } = podAddress(request.target);
    const result = await sendFromClientPod(context, {
      host,
      port,
      timeoutMs: request.timeoutMs,
      raw: formatRequest({
        method: request.method,
        host: `${host}:${port}`,
        path: request.path,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      }),
    });
    if (result.stdout === "") {
      const why =
        result.stderr.trim() ||
        (result.exitCode === 0
          ? "empty reply from server"
          : `nc exit ${result.exitCode} (nothing within ${formatDuration(request.timeoutMs)}?)`);
      return responseOf(request, startedAt, { error: why });
    }
    return responseOf(request, startedAt, parseResponse(result.stdout));
  } catch (error) {
    return responseOf(request, startedAt, { error: errorMessage(error) });
  }
}

function contentType(request: PreparedRequest): string {
  const found = Object.entries(request.headers).find(([name]) => name.toLowerCase() === "content-type");
  return found?.[1] ?? "application/json";
}

function podAddress(target: ResolvedTarget): { host: string; port: string } {
  switch (target.kind) {
    case "service":
      return { host: `${target.name}.${target.namespace}.svc`, port: target.port };
    case "pod":
      return { host: target.ip, port: target.port };
    case "url":
      return { host: target.url.hostname, port: target.url.port || "80" };
    case "apiServer":
    case "node":
      throw new Error(`the client pod does not reach the ${target.kind} target`);
  }
}
