import type { PreparedRequest, ProbeResponse } from "./send.ts";
import { describeTarget } from "./send.ts";

/** How much of a body a failure shows: enough to recognise it, not a page of HTML. */
const BODY_PREVIEW = 300;
const MASK = "***";

/** Headers whose values are credentials whatever their source. */
const ALWAYS_SECRET = ["authorization", "proxy-authorization", "cookie", "x-api-key"];

function preview(body: string): string {
  const flat = body.replace(/\s+$/, "");
  const cut =
    flat.length > BODY_PREVIEW ? `${flat.slice(0, BODY_PREVIEW)}… (${Buffer.byteLength(body)} bytes)` : flat;
  // A multi-line body stays indented under its `body:` line.
  return cut.replace(/\n/g, "\n        ");
}

export function maskedHeaders(request: PreparedRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    const secret = request.secretHeaders.includes(lower) || ALWAYS_SECRET.includes(lower);
    // The scheme of an Authorization header is no secret, and says which kind of credential went.
    out[name] = secret ? (/^(Bearer|Basic) /i.exec(value)?.[0] ?? "") + MASK : value;
  }
  return out;
}

/** The request as sent, secrets masked: `POST http://... via proxy` and its headers and body. */
export function formatRequest(request: PreparedRequest): string {
  const lines = [`request: ${request.method} ${describeTarget(request)} via ${request.transport}`];
  for (const [name, value] of Object.entries(maskedHeaders(request))) lines.push(`  ${name}: ${value}`);
  if (request.body !== undefined) lines.push(`  body: ${preview(request.body)}`);
  return lines.join("\n");
}

/** A response as received: status (or transport error), headers, the start of the body. */
export function formatResponse(response: ProbeResponse, label = "response"): string {
  const tries = response.attempts > 1 ? `, after ${response.attempts} attempts` : "";
  if (response.error !== null) return `${label}: no answer (${response.error})${tries}`;
  const lines = [`${label}: ${response.status ?? "?"} in ${response.durationMs}ms${tries}`];
  for (const [name, value] of Object.entries(response.headers)) lines.push(`  ${name}: ${value}`);
  if (response.body !== "") lines.push(`  body: ${preview(response.body)}`);
  return lines.join("\n");
}

/** `3 of 20 failed`, then each distinct error once with how often it came. */
export function batchSummary(failures: readonly { index: number; reason: string }[], total: number): string {
  const counts = new Map<string, { count: number; first: number }>();
  for (const f of failures) {
    const seen = counts.get(f.reason);
    if (seen) seen.count += 1;
    else counts.set(f.reason, { count: 1, first: f.index });
  }
  const distinct = [...counts.entries()]
    .slice(0, 5)
    .map(([reason, { count, first }]) => `  ${count}× ${reason} (first: request #${first + 1})`);
  const more = counts.size > 5 ? [`  … and ${counts.size - 5} more distinct errors`] : [];
  return [`${failures.length} of ${total} requests failed; distinct errors:`, ...distinct, ...more].join(
    "\n",
  );
}
