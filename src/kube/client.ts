import { Agent, request as httpsRequest, type RequestOptions } from "node:https";
import type { IncomingMessage } from "node:http";
import { createInterface } from "node:readline";
import { createSecureContext } from "node:tls";
import { loadKubeconfig, type ClusterTarget } from "./kubeconfig.ts";
import { formatDuration } from "../source/duration.ts";

/** An error answer of the API server, with its Status reason (`NotFound`, `AlreadyExists`, …). */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** One `Warning` header of an API answer (RFC 7234: `299 - "text"`), as client-go reports it. */
export interface ApiWarning {
  code: number;
  agent: string;
  text: string;
}

export interface RequestOptionsKube {
  query?: Record<string, string | number | boolean | undefined>;
  /** Receives the answer's `Warning` headers (deprecated APIs, unknown fields, ...). */
  onWarning?: (warning: ApiWarning) => void;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Extra request headers (a proxied request's own); they win over the defaults above. */
  headers?: Record<string, string>;
}

/** An answer read whole, whatever its status: what a proxied request's caller judges itself. */
export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (as fetch does). */
  headers: Record<string, string>;
  body: string;
}

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";

/**
 * A thin client for the Kubernetes REST API on raw JSON: objects stay exactly as the server sends them
 * (no typed models that drop unknown fields or turn timestamps into Dates), which assertions need.
 * One keep-alive agent per client.
 */
export class KubeClient {
  private readonly agent: Agent;

  constructor(readonly target: ClusterTarget) {
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: 64,
      // One TLS context for every connection: without it each new socket parses the CA, certificate
      // and key again and copies the root store (milliseconds of CPU each), and every watch takes a
      // socket of its own, so a 50-test run opened 120 connections.
      secureContext: createSecureContext({ ca: target.ca, cert: target.cert, key: target.key }),
      rejectUnauthorized: !target.insecureSkipTlsVerify,
      servername: target.tlsServerName,
    });
  }

  static async fromKubeconfig(options: { path?: string; context?: string } = {}): Promise<KubeClient> {
    return new KubeClient(await loadKubeconfig(options));
  }

  close(): void {
    this.agent.destroy();
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptionsKube = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (options.onWarning) for (const warning of warnings(response)) options.onWarning(warning);
    const text = await readBody(response);
    const status = response.statusCode ?? 0;
    if (status >= 400) throw toApiError(status, text, method, path);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** A request whose answer is text (pod logs). */
  async requestText(method: string, path: string, options: RequestOptionsKube = {}): Promise<string> {
    const response = await this.send(method, path, { accept: "*/*", ...options });
    const text = await readBody(response);
    const status = response.statusCode ?? 0;
    if (status >= 400) throw toApiError(status, text, method, path);
    return text;
  }

  /** A request answered whatever its status (the API server's service and pod proxy). */
  async requestRaw(method: string, path: string, options: RequestOptionsKube = {}): Promise<RawResponse> {
    const response = await this.send(method, path, { accept: "*/*", ...options });
    const body = await readBody(response);
    const headers: Record<string, string> = {};
    for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
      const name = (response.rawHeaders[i] ?? "").toLowerCase();
      const value = response.rawHeaders[i + 1] ?? "";
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    return { status: response.statusCode ?? 0, headers, body };
  }

  /**
   * Streams watch events of `path` (a collection URL) until the server ends the watch or `signal`
   * aborts. The caller handles re-listing on `410 Gone` (an ERROR event with code 410).
   */
  async watch(
    path: string,
    query: RequestOptionsKube["query"],
    onEvent: (type: WatchEventType, object: Record<string, unknown>) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const response = await this.send("GET", path, {
      query: { ...query, watch: true, allowWatchBookmarks: true },
      signal,
    });
    const status = response.statusCode ?? 0;
    if (status >= 400) throw toApiError(status, await readBody(response), "WATCH", path);
    const lines = createInterface({ input: response });
    // Closing the line reader ends the loop below: a destroyed response alone leaves it pending forever.
    const onAbort = (): void => {
      lines.close();
      response.destroy();
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      for await (const line of lines) {
        if (!line) continue;
        const event = JSON.parse(line) as { type: WatchEventType; object: Record<string, unknown> };
        onEvent(event.type, event.object);
      }
    } catch (error) {
      if (!signal?.aborted) throw error;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Streams a text answer (`/log?follow=true`) chunk by chunk until the server ends it or `signal`
   * aborts; a status of 400 or more throws the API error before any chunk.
   */
  async streamText(
    path: string,
    query: RequestOptionsKube["query"],
    onChunk: (text: string) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const response = await this.send("GET", path, { accept: "*/*", query, signal });
    const status = response.statusCode ?? 0;
    if (status >= 400) throw toApiError(status, await readBody(response), "GET", path);
    response.setEncoding("utf8");
    const onAbort = (): void => void response.destroy();
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      await new Promise<void>((resolvePromise, reject) => {
        response.on("data", (chunk: string) => onChunk(chunk));
        response.on("end", resolvePromise);
        response.on("close", resolvePromise);
        response.on("error", (error) => (signal?.aborted ? resolvePromise() : reject(error)));
      });
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private async send(method: string, path: string, options: RequestOptionsKube): Promise<IncomingMessage> {
    const url = new URL(this.target.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { Accept: options.accept ?? "application/json" };
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      headers["Content-Type"] = options.contentType ?? "application/json";
      // An explicit length, not chunked encoding: the API server mishandles chunked DELETE bodies on
      // kept-alive connections (the next request on the socket got 400).
      headers["Content-Length"] = String(Buffer.byteLength(payload));
    }
    Object.assign(headers, options.headers);
    if (this.target.token) headers.Authorization = `Bearer ${this.target.token}`;
    else if (this.target.username !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${this.target.username}:${this.target.password ?? ""}`).toString("base64")}`;
    }
    const requestOptions: RequestOptions = { method, headers, agent: this.agent, signal: options.signal };
    if (this.target.pluginAuth) await applyPluginAuth(this.target, requestOptions);
    return new Promise((resolvePromise, reject) => {
      const req = httpsRequest(url, requestOptions, resolvePromise);
      req.on("error", (error) => reject(connectionError(error, this.target.server)));
      const timeoutMs = options.timeoutMs;
      if (timeoutMs)
        req.setTimeout(timeoutMs, () =>
          req.destroy(new Error(`timed out after ${formatDuration(timeoutMs)}`)),
        );
      req.end(payload);
    });
  }
}

/** `exec` and `auth-provider` credentials come from client-node, loaded only when a kubeconfig needs it. */
async function applyPluginAuth(target: ClusterTarget, options: RequestOptions): Promise<void> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const config = new KubeConfig();
  config.loadFromFile(target.pluginAuth!.kubeconfigPath);
  config.setCurrentContext(target.contextName);
  const applied: RequestOptions = { headers: {} };
  await config.applyToHTTPSOptions(applied);
  options.headers = {
    ...(options.headers as Record<string, string>),
    ...(applied.headers as Record<string, string>),
  };
  if (applied.cert) options.cert = applied.cert;
  if (applied.key) options.key = applied.key;
}

/** The `Warning` headers of an answer, one per header line (Node would join them with commas). */
export function warnings(response: Pick<IncomingMessage, "rawHeaders">): ApiWarning[] {
  const out: ApiWarning[] = [];
  for (let i = 0; i + 1 < response.rawHeaders.length; i += 2) {
    if (response.rawHeaders[i]?.toLowerCase() !== "warning") continue;
    const parsed = parseWarning(response.rawHeaders[i + 1] ?? "");
    if (parsed) out.push(parsed);
  }
  return out;
}

function parseWarning(value: string): ApiWarning | undefined {
  const found = /^(\d{3}) (\S+) "((?:[^"\\]|\\.)*)"/.exec(value.trim());
  if (!found) return undefined;
  return { code: Number(found[1]), agent: found[2] ?? "-", text: (found[3] ?? "").replace(/\\(.)/g, "$1") };
}

async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function toApiError(status: number, text: string, method: string, path: string): ApiError {
  try {
    const body = JSON.parse(text) as { reason?: string; message?: string; details?: unknown };
    return new ApiError(status, body.reason ?? String(status), body.message ?? text, body.details);
  } catch {
    return new ApiError(status, String(status), `${method} ${path}: HTTP ${status} ${text.slice(0, 500)}`);
  }
}

function connectionError(error: Error, server: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ECONNREFUSED")
    return new Error(`cannot connect to the API server at ${server} (connection refused)`, { cause: error });
  return error;
}
