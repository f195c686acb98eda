import * as z from "zod";
import type { ProbeTarget, SecretSource } from "../../model/index.ts";
import { duration } from "../../source/schema-kit.ts";
import { defined } from "../convert-parts.ts";

/** Schema parts and conversions shared by the probes (http, metrics). */

const port = z
  .union([z.number().int().min(1).max(65535), z.string().min(1)])
  .describe("Port number or name (a string may be an (expression)).");

export const targetFields = {
  service: z
    .strictObject({ name: z.string().min(1), port, namespace: z.string().optional() })
    .optional()
    .describe("A Service by name and port (namespace: the test's)."),
  pod: z
    .strictObject({
      name: z.string().optional(),
      selector: z.string().optional().describe("Label selector: the first Ready pod (by name) is used."),
      port,
      namespace: z.string().optional(),
    })
    .optional()
    .describe("A pod by name or by selector, reached at its IP."),
  url: z
    .string()
    .optional()
    .describe("A URL, e.g. http://web.other-ns.svc:8080/path (client pod transport)."),
};

export const secretSourceSchema = z.union([
  z.strictObject({
    secret: z.strictObject({
      name: z.string().min(1),
      key: z.string().optional().describe("Key in the Secret's data (default token)."),
      namespace: z.string().optional(),
    }),
  }),
  z.strictObject({
    serviceAccount: z.strictObject({
      name: z.string().min(1).describe("Service account to mint a token for (TokenRequest)."),
      audiences: z.array(z.string()).optional(),
      namespace: z.string().optional(),
    }),
  }),
]);

export const transportField = z
  .enum(["auto", "proxy", "pod"])
  .optional()
  .describe("auto (default): the API server's proxy when the request fits it, else a client pod.");

export const requestTimeout = duration("Each request's own timeout (default 30s).").optional();

export function secretSource(v: z.output<typeof secretSourceSchema>): SecretSource {
  if ("secret" in v)
    return {
      kind: "secret",
      name: v.secret.name,
      key: v.secret.key ?? "token",
      ...defined({ namespace: v.secret.namespace }),
    };
  return {
    kind: "serviceAccountToken",
    serviceAccount: v.serviceAccount.name,
    ...defined({ audiences: v.serviceAccount.audiences, namespace: v.serviceAccount.namespace }),
  };
}

type TargetBody = {
  service?: { name: string; port: number | string; namespace?: string | undefined } | undefined;
  pod?:
    | {
        name?: string | undefined;
        selector?: string | undefined;
        port: number | string;
        namespace?: string | undefined;
      }
    | undefined;
  url?: string | undefined;
};

/** The target a body names; the schema's refinement made sure there is exactly one. */
export function probeTarget(v: TargetBody): ProbeTarget {
  if (v.service)
    return {
      kind: "service",
      name: v.service.name,
      port: String(v.service.port),
      ...defined({ namespace: v.service.namespace }),
    };
  if (v.pod)
    return {
      kind: "pod",
      port: String(v.pod.port),
      ...defined({ name: v.pod.name, selector: v.pod.selector, namespace: v.pod.namespace }),
    };
  return { kind: "url", url: v.url ?? "" };
}

/** A pod reference needs a name or a selector, not both. */
export function podRefIssue(
  pod: { name?: string | undefined; selector?: string | undefined } | undefined,
  ctx: z.RefinementCtx,
  path: PropertyKey[],
): void {
  if (pod === undefined) return;
  if ((pod.name === undefined) === (pod.selector === undefined))
    ctx.addIssue({
      code: "custom",
      path,
      message: "a pod is chosen by name or by selector: give exactly one",
    });
}
