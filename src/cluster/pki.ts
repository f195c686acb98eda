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

/** A certificate a part asks the cluster CA for. */
export interface CertificateRequest {
  commonName: string;
  /** Subject organizations: the groups the API server gives a client (`system:masters`, `system:nodes`). */
  organizations?: readonly string[];
  /** `server` certificates also allow client use (a kubelet serves and calls). */
  usage: "server" | "client";
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

/** The local cluster's CA: one per cluster, issuing every component's certificates. */
export interface CertificateAuthority {
  readonly pem: PemPair;
  issue(request: CertificateRequest): Promise<PemPair>;
}

/**
 * Generates a fresh CA for one local cluster. ECDSA P-256 keeps each key to a few milliseconds, so each
 * cluster gets its own PKI instead of sharing long-lived keys.
 */
export async function createCertificateAuthority(): Promise<CertificateAuthority> {
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
  const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(caCert);
  return {
    pem: { cert: caCert.toString("pem"), key: await privateKeyPem(caKeys.privateKey) },
    issue: async (request) => {
      const keys = await generateKeys();
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: subjectOf(request),
        issuer: caCert.subject,
        notBefore,
        notAfter,
        signingKey: caKeys.privateKey,
        publicKey: keys.publicKey,
        signingAlgorithm: algorithm,
        extensions: [...leafExtensions(request), authorityKeyId],
      });
      return { cert: cert.toString("pem"), key: await privateKeyPem(keys.privateKey) };
    },
  };
}

function subjectOf(request: CertificateRequest): string {
  return [`CN=${request.commonName}`, ...(request.organizations ?? []).map((o) => `O=${o}`)].join(", ");
}

function leafExtensions(request: CertificateRequest): x509.Extension[] {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(
      request.usage === "server"
        ? [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]
        : [x509.ExtendedKeyUsage.clientAuth],
    ),
  ];
  const names: x509.JsonGeneralName[] = [
    ...(request.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  return extensions;
}

/** The key pair that signs and verifies service account tokens. */
export async function generateServiceAccountKeys(): Promise<{ publicKey: string; privateKey: string }> {
  const keys = await generateKeys();
  return {
    privateKey: await privateKeyPem(keys.privateKey),
    publicKey: pem("PUBLIC KEY", await webcrypto.subtle.exportKey("spki", keys.publicKey)),
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
