import { isNotFound } from "../../kube/client.ts";
import type { SecretSource } from "../../model/index.ts";
import { poll } from "../hold.ts";
import { OperationError, type OperationContext } from "../types.ts";

/** How often a Secret the token controller has yet to fill is read again. */
const secretPollMs = 250;

/**
 * The value of a secret source: a Secret's key (waiting, until the operation's deadline, for the key to
 * be filled, as the token controller fills `kubernetes.io/service-account-token` Secrets some time after
 * their creation), or a token minted with the TokenRequest API for a service account.
 */
export async function resolveSecret(source: SecretSource, context: OperationContext): Promise<string> {
  const namespace = source.namespace ?? context.namespace;
  switch (source.kind) {
    case "secret":
      return readSecretKey(namespace, source.name, source.key, context);
    case "serviceAccountToken":
      return mintToken(namespace, source.serviceAccount, source.audiences, context);
  }
}

async function readSecretKey(
  namespace: string,
  name: string,
  key: string,
  context: OperationContext,
): Promise<string> {
  let value: string | undefined;
  let last = "not found";
  await poll(context.signal, secretPollMs, async () => {
    try {
      const secret = await context.client.request<{ data?: Record<string, string> }>(
        "GET",
        `/api/v1/namespaces/${namespace}/secrets/${name}`,
        { signal: context.signal },
      );
      const data = secret.data?.[key];
      if (data) value = Buffer.from(data, "base64").toString("utf8");
      last = `has no key ${key} yet`;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    return value !== undefined;
  });
  if (value === undefined)
    throw new OperationError(`secret ${namespace}/${name} ${last} (waited until the operation's timeout)`);
  return value;
}

async function mintToken(
  namespace: string,
  serviceAccount: string,
  audiences: readonly string[] | undefined,
  context: OperationContext,
): Promise<string> {
  const answer = await context.client.request<{ status?: { token?: string } }>(
    "POST",
    `/api/v1/namespaces/${namespace}/serviceaccounts/${serviceAccount}/token`,
    {
      body: {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { ...(audiences ? { audiences } : {}), expirationSeconds: 3600 },
      },
      signal: context.signal,
    },
  );
  const token = answer.status?.token;
  if (!token) throw new OperationError(`TokenRequest for ${namespace}/${serviceAccount} returned no token`);
  return token;
}
