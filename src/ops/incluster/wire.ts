/**
 * HTTP/1.1 on the wire, for the client-pod transport: the pod pipes the request to `nc` and hands
 * back the bytes the server answered. Only what a test's servers answer is handled: a status line,
 * headers, and a body delimited by Content-Length, chunked encoding or the end of the connection.
 */

export interface WireRequest {
  method: string;
  /** `host:port` for the Host header. */
  host: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function formatRequest(request: WireRequest): string {
  const lines = [`${request.method} ${request.path} HTTP/1.1`];
  const names = new Set(Object.keys(request.headers).map((n) => n.toLowerCase()));
  if (!names.has("host")) lines.push(`Host: ${request.host}`);
  for (const [name, value] of Object.entries(request.headers)) lines.push(`${name}: ${value}`);
  if (request.body !== undefined && !names.has("content-length"))
    lines.push(`Content-Length: ${Buffer.byteLength(request.body)}`);
  // One request per connection: the server closing it is how nc knows the answer is complete.
  if (!names.has("connection")) lines.push("Connection: close");
  return `${lines.join("\r\n")}\r\n\r\n${request.body ?? ""}`;
}

/** Parses what the server sent; throws when it is not an HTTP answer. */
export function parseResponse(raw: string): WireResponse {
  const end = raw.indexOf("\r\n\r\n");
  const head = end < 0 ? raw : raw.slice(0, end);
  const rest = end < 0 ? "" : raw.slice(end + 4);
  const [statusLine = "", ...headerLines] = head.split("\r\n");
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
  if (!status) {
    throw new Error(
      raw === "" ? "empty reply from server" : `not an HTTP answer: ${JSON.stringify(raw.slice(0, 80))}`,
    );
  }
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const chunked = /chunked/i.test(headers["transfer-encoding"] ?? "");
  return { status: Number(status[1]), headers, body: chunked ? dechunk(rest) : rest };
}

/** Chunk sizes count bytes, so the body is cut as bytes, not as JavaScript characters. */
function dechunk(text: string): string {
  const bytes = Buffer.from(text, "utf8");
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", pos);
    if (lineEnd < 0) break;
    const size = parseInt(bytes.subarray(pos, lineEnd).toString("latin1").split(";")[0] ?? "", 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    pos = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString("utf8");
}
