import { stringify } from "yaml";
import type { PemPair } from "./pki.ts";

/** A self-contained kubeconfig (certificates inline) for one identity of a local cluster. */
export function kubeconfigYaml(options: {
  name: string;
  server: string;
  caCert: string;
  client: PemPair;
}): string {
  const b64 = (pem: string): string => Buffer.from(pem).toString("base64");
  const context = `kubeproof-${options.name}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: context,
        cluster: { server: options.server, "certificate-authority-data": b64(options.caCert) },
      },
    ],
    users: [
      {
        name: context,
        user: {
          "client-certificate-data": b64(options.client.cert),
          "client-key-data": b64(options.client.key),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
  });
}
