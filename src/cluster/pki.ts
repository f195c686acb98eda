// @peculiar/x509 resolves its ASN.1 schemas through tsyringe, which needs the Reflect metadata polyfill.
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const validityMs = 365 * 24 * 3600 * 1000;

export interface PemPair {
  cert: string;
  key: string;
}

/** Everything the local cluster's components need to trust and authenticate each other. */
export interface ClusterPki {
  ca: PemPair;
  apiserver: PemPair;
  /** kwok's kubelet API, which the API server calls for logs, exec and port-forward. */
  kubelet: PemPair;
  /** Client certificates by identity (CN), all in the `system:masters` group. */
  clients: Record<string, PemPair>;
  /** Signs and verifies service account tokens. */
  serviceAccount: { publicKey: string; privateKey: string };
}

/** Identities of the components that talk to the API server (each gets its own client certificate). */
export const clientIdentities = [
  "kubeproof-admin",
  "kube-controller-manager",
  "kube-scheduler",
  "kwok",
  "kube-apiserver-kubelet-client",
] as const;

/**
 * Generates a fresh CA and the certificates of one local cluster. ECDSA P-256 keeps this to a few
 * milliseconds, so each cluster gets its own PKI instead of sharing long-lived keys.
 */
export async function generatePki(): Promise<ClusterPki> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + validityMs);
  const caKeys = await generateKeys();
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: "CN=kubeproof-ca",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  const issue = async (subject: string, usage: "server" | "client", names: x509.JsonGeneralName[] = []) => {
    const keys = await generateKeys();
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(
        usage === "server"
          ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]
          : [x509.ExtendedKeyUsage.clientAuth],
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ];
    if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: caCert.subject,
      notBefore,
      notAfter,
      signingKey: caKeys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: algorithm,
      extensions,
    });
    return { cert: cert.toString("pem"), key: await privateKeyPem(keys.privateKey) };
  };

  const apiserver = await issue("CN=kube-apiserver", "server", [
    { type: "dns", value: "localhost" },
    { type: "dns", value: "kubernetes" },
    { type: "dns", value: "kubernetes.default" },
    { type: "dns", value: "kubernetes.default.svc" },
    { type: "dns", value: "kubernetes.default.svc.cluster.local" },
    { type: "ip", value: "127.0.0.1" },
    { type: "ip", value: "10.96.0.1" },
  ]);
  const kubelet = await issue("CN=kwok-kubelet", "server", [
    { type: "dns", value: "localhost" },
    { type: "ip", value: "127.0.0.1" },
  ]);
  const clients: Record<string, PemPair> = {};
  for (const identity of clientIdentities) {
    clients[identity] = await issue(`CN=${identity}, O=system:masters`, "client");
  }
  const saKeys = await generateKeys();
  return {
    ca: { cert: caCert.toString("pem"), key: await privateKeyPem(caKeys.privateKey) },
    apiserver,
    kubelet,
    clients,
    serviceAccount: {
      privateKey: await privateKeyPem(saKeys.privateKey),
      publicKey: pem("PUBLIC KEY", await webcrypto.subtle.exportKey("spki", saKeys.publicKey)),
    },
  };
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  return pem("PRIVATE KEY", await webcrypto.subtle.exportKey("pkcs8", key));
}

function pem(label: string, der: ArrayBuffer): string {
  const body = Buffer.from(der)
    .toString("base64")
    .replace(/(.{64})/g, "$1\n")
    .trimEnd();
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}

function serial(): string {
  // Positive (high bit clear) 16-byte serial, as RFC 5280 asks.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}
