import type { HttpRequestSpec, ProbeTransport } from "../../model/index.ts";
import type { Bindings } from "../../template/bindings.ts";
import { templateString, templateValue } from "../../template/template.ts";
import type { OperationContext } from "../types.ts";
import { resolveSecret } from "./secrets.ts";
import { prepareTransport, type PreparedRequest } from "./send.ts";
import { resolveTarget } from "./target.ts";

/**
 * Resolves everything a request needs once, before a batch sends it: the target (pods chosen), the
 * header values (secrets read, tokens minted), the body templated, the transport chosen.
 */
export async function prepareRequest(
  spec: HttpRequestSpec,
  wanted: ProbeTransport,
  bindings: Bindings,
  context: OperationContext,
): Promise<PreparedRequest> {
  const target = await resolveTarget(spec.target, bindings, context);
  const headers: Record<string, string> = {};
  const secretHeaders: string[] = [];
  for (const header of spec.headers) {
    if ("value" in header.value) headers[header.name] = templateString(header.value.value, bindings);
    else {
      headers[header.name] = await resolveSecret(header.value.from, context);
      secretHeaders.push(header.name.toLowerCase());
    }
  }
  if (spec.bearerToken) {
    headers.Authorization = `Bearer ${(await resolveSecret(spec.bearerToken, context)).trim()}`;
    secretHeaders.push("authorization");
  }
  let body: string | undefined;
  if (spec.body && "json" in spec.body) {
    body = JSON.stringify(templateValue(spec.body.json, bindings));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
      headers["Content-Type"] = "application/json";
  } else if (spec.body) body = spec.body.text;
  const chosen = prepareTransport(wanted, target, headers);
  const written = templateString(spec.path, bindings);
  // A URL target's own path, unless `path` is written too.
  const fromUrl = target.kind === "url" ? `${target.url.pathname}${target.url.search}` : "/";
  const path = written === "" ? fromUrl : written;
  return {
    target: chosen.target,
    transport: chosen.transport,
    method: spec.method,
    path: path.startsWith("/") ? path : `/${path}`,
    scheme: target.kind === "url" && target.url.protocol === "https:" ? "https" : spec.scheme,
    headers,
    secretHeaders,
    ...(body === undefined ? {} : { body }),
    timeoutMs: spec.requestTimeoutMs,
  };
}
