import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { runSystemCommand } from "../../../command.ts";

/**
 * The node's registry mirror: a read-only OCI distribution endpoint on the node's own loopback that
 * serves the images already in its containerd. containerd's hosts.toml sends every registry's pulls
 * here (with `?ns=<registry>`), so `imagePullPolicy: Always` and fully qualified names resolve to what
 * `cluster load` and the built-in set put in the node, and nothing leaves the node's namespace.
 */
export interface RegistryOptions {
  /** The node's `ctr` and containerd socket: the image names and their digests. */
  ctr: string;
  containerdSocket: string;
  /** containerd's content store (`<root>/io.containerd.content.v1.content`): manifests and blobs. */
  contentDir: string;
}

/**
 * A reference as the Docker CLI and the kubelet read it: registry, repository and tag or digest, with
 * docker.io and library/ filled in and `latest` for no tag (`busybox` is docker.io/library/busybox:latest).
 */
export function normalizeReference(ref: string): string {
  let name = ref;
  let suffix = ":latest";
  const at = ref.indexOf("@");
  const colon = ref.lastIndexOf(":");
  if (at >= 0) [name, suffix] = [ref.slice(0, at), ref.slice(at)];
  else if (colon > ref.lastIndexOf("/")) [name, suffix] = [ref.slice(0, colon), ref.slice(colon)];
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost";
  let registry = hasRegistry ? first : "docker.io";
  let path = hasRegistry ? name.slice(slash + 1) : name;
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return `${registry}/${path}${suffix}`;
}

/** The node's images by normalized name: their digest and media type, as `ctr images ls` lists them. */
async function listImages(options: RegistryOptions): Promise<Map<string, { digest: string; type: string }>> {
  const { stdout } = await runSystemCommand(options.ctr, [
    "--address",
    options.containerdSocket,
    "--namespace",
    "k8s.io",
    "images",
    "ls",
  ]);
  const images = new Map<string, { digest: string; type: string }>();
  for (const line of stdout.split("\n").slice(1)) {
    const [ref, type, digest] = line.split(/\s+/);
    // Digest-only entries (`name@sha256:...`) the CRI adds are found by digest anyway.
    if (ref && type && digest?.startsWith("sha256:")) images.set(normalizeReference(ref), { digest, type });
  }
  return images;
}

function blobPath(options: RegistryOptions, digest: string): string | undefined {
  const match = /^sha256:([a-f0-9]{64})$/.exec(digest);
  return match ? join(options.contentDir, "blobs", "sha256", match[1]) : undefined;
}

function notFound(res: ServerResponse, code: string, message: string): void {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ errors: [{ code, message }] }));
}

async function serveManifest(
  options: RegistryOptions,
  request: { repository: string; reference: string; registry: string | null; head: boolean },
  res: ServerResponse,
): Promise<void> {
  const { repository, reference, registry } = request;
  let digest = reference;
  let type: string | undefined;
  if (!reference.startsWith("sha256:")) {
    const wanted = normalizeReference(`${registry ? `${registry}/` : ""}${repository}:${reference}`);
    const image = (await listImages(options)).get(wanted);
    if (!image) {
      notFound(
        res,
        "MANIFEST_UNKNOWN",
        `${wanted} is not loaded in this node: use \`kubeproof cluster load\``,
      );
      return;
    }
    ({ digest, type } = image);
  }
  const path = blobPath(options, digest);
  const body = path ? await readFile(path).catch(() => undefined) : undefined;
  if (!body) {
    notFound(res, "MANIFEST_UNKNOWN", `${repository}@${digest} is not in this node`);
    return;
  }
  if (!type) {
    const parsed = JSON.parse(body.toString("utf8")) as { mediaType?: string; manifests?: unknown };
    type =
      parsed.mediaType ??
      (parsed.manifests
        ? "application/vnd.oci.image.index.v1+json"
        : "application/vnd.oci.image.manifest.v1+json");
  }
  res.writeHead(200, {
    "content-type": type,
    "content-length": body.length,
    "docker-content-digest": digest,
  });
  res.end(request.head ? undefined : body);
}

async function serveBlob(
  options: RegistryOptions,
  digest: string,
  head: boolean,
  res: ServerResponse,
): Promise<void> {
  const path = blobPath(options, digest);
  const info = path ? await stat(path).catch(() => undefined) : undefined;
  if (!path || !info) {
    notFound(res, "BLOB_UNKNOWN", `${digest} is not in this node`);
    return;
  }
  res.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": info.size,
    "docker-content-digest": digest,
  });
  if (head) res.end();
  else createReadStream(path).pipe(res);
}

async function handle(options: RegistryOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://registry");
  const head = req.method === "HEAD";
  if (req.method !== "GET" && !head) {
    res.writeHead(405).end();
    return;
  }
  res.setHeader("docker-distribution-api-version", "registry/2.0");
  if (url.pathname === "/v2/" || url.pathname === "/v2") {
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
    return;
  }
  const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
  if (!match) {
    notFound(res, "NAME_UNKNOWN", `${url.pathname} is not a registry path`);
    return;
  }
  const [, repository, kind, reference] = match as unknown as [string, string, string, string];
  if (kind === "blobs") await serveBlob(options, reference, head, res);
  else
    await serveManifest(options, { repository, reference, registry: url.searchParams.get("ns"), head }, res);
}

/** Starts the mirror on `host:port`. */
export async function startRegistry(options: RegistryOptions, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return server;
}
