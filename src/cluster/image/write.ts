import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { tarHeader, tarPadding } from "../providers/real/oci.ts";

/**
 * Writes a one-layer OCI image archive by streaming: the layer's files are read from disk as they are
 * written, so building an image of several hundred MiB holds only a few buffers in memory (the
 * built-in images' `ociArchive` holds whole archives, which is fine for a few MiB). The layer is
 * gzip-compressed: the archive is what `kubeproof cluster load` copies and `ctr` imports.
 */

/** One entry of the layer; a `file` is copied from `source` on this machine, or given as `content`. */
export type ImageEntry =
  | { type: "file"; path: string; mode: number; source: string }
  | { type: "file"; path: string; mode: number; content: Buffer }
  | { type: "dir"; path: string; mode: number }
  | { type: "symlink"; path: string; target: string };

export interface StreamedImage {
  refs: readonly string[];
  entries: readonly ImageEntry[];
  env: readonly string[];
  cmd?: readonly string[];
  workingDir?: string;
}

export interface WrittenImage {
  /** Size of the archive file. */
  archiveBytes: number;
  /** Size of the layer once unpacked (what the node's disk holds besides the compressed blob). */
  layerBytes: number;
  manifestDigest: string;
}

const endOfArchive = Buffer.alloc(1024);

async function* layerTar(entries: readonly ImageEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    switch (entry.type) {
      case "dir":
        yield tarHeader(`${entry.path.replace(/\/$/, "")}/`, { size: 0, mode: entry.mode, type: "5" });
        break;
      case "symlink":
        yield tarHeader(entry.path, { size: 0, mode: 0o777, type: "2", link: entry.target });
        break;
      case "file": {
        if ("content" in entry) {
          yield tarHeader(entry.path, { size: entry.content.length, mode: entry.mode, type: "0" });
          yield entry.content;
          yield tarPadding(entry.content.length);
          break;
        }
        const { size } = await stat(entry.source);
        yield tarHeader(entry.path, { size, mode: entry.mode, type: "0" });
        let copied = 0;
        for await (const chunk of createReadStream(entry.source)) {
          copied += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        // A file that changed size while it was read would corrupt every entry after it.
        if (copied !== size) throw new Error(`${entry.source} changed while it was read`);
        yield tarPadding(size);
        break;
      }
    }
  }
  yield endOfArchive;
}

/** Passes data through while hashing and counting it. */
function measure(): { stream: Transform; hash: Hash; bytes: () => number } {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, hash, bytes: () => bytes };
}

interface Blob {
  digest: string;
  size: number;
}

function jsonBlob(value: unknown): Blob & { content: Buffer } {
  const content = Buffer.from(JSON.stringify(value));
  return {
    digest: `sha256:${createHash("sha256").update(content).digest("hex")}`,
    size: content.length,
    content,
  };
}

/** Streams the layer through gzip into `file`; returns its diff id (uncompressed) and blob. */
async function writeLayer(
  entries: readonly ImageEntry[],
  file: string,
): Promise<{ diffId: string; blob: Blob; unpacked: number }> {
  const raw = measure();
  const packed = measure();
  await pipeline(
    layerTar(entries),
    raw.stream,
    createGzip({ level: 6 }),
    packed.stream,
    createWriteStream(file),
  );
  return {
    diffId: `sha256:${raw.hash.digest("hex")}`,
    blob: { digest: `sha256:${packed.hash.digest("hex")}`, size: packed.bytes() },
    unpacked: raw.bytes(),
  };
}

/** Writes `image` to `out` as an OCI layout in a tar, as `ctr images import` takes it. */
export async function writeImageArchive(image: StreamedImage, out: string): Promise<WrittenImage> {
  const layerFile = `${out}.layer-${process.pid}`;
  try {
    const layer = await writeLayer(image.entries, layerFile);
    const config = jsonBlob({
      architecture: process.arch === "arm64" ? "arm64" : "amd64",
      os: "linux",
      config: {
        Env: image.env,
        ...(image.cmd ? { Cmd: image.cmd } : {}),
        ...(image.workingDir ? { WorkingDir: image.workingDir } : {}),
      },
      rootfs: { type: "layers", diff_ids: [layer.diffId] },
    });
    const manifest = jsonBlob({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: {
        mediaType: "application/vnd.oci.image.config.v1+json",
        digest: config.digest,
        size: config.size,
      },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", ...layer.blob }],
    });
    const index = jsonBlob({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: image.refs.map((ref) => ({
        mediaType: "application/vnd.oci.image.manifest.v1+json",
        digest: manifest.digest,
        size: manifest.size,
        annotations: { "io.containerd.image.name": ref, "org.opencontainers.image.ref.name": ref },
      })),
    });
    const blobPath = (digest: string): string => `blobs/sha256/${digest.slice("sha256:".length)}`;
    const entries: ImageEntry[] = [
      {
        type: "file",
        path: "oci-layout",
        mode: 0o644,
        content: Buffer.from('{"imageLayoutVersion":"1.0.0"}'),
      },
      { type: "file", path: "index.json", mode: 0o644, content: index.content },
      { type: "dir", path: "blobs", mode: 0o755 },
      { type: "dir", path: "blobs/sha256", mode: 0o755 },
      { type: "file", path: blobPath(config.digest), mode: 0o644, content: config.content },
      { type: "file", path: blobPath(manifest.digest), mode: 0o644, content: manifest.content },
      { type: "file", path: blobPath(layer.blob.digest), mode: 0o644, source: layerFile },
    ];
    await pipeline(layerTar(entries), createWriteStream(out));
    return {
      archiveBytes: (await stat(out)).size,
      layerBytes: layer.unpacked,
      manifestDigest: manifest.digest,
    };
  } finally {
    await rm(layerFile, { force: true });
  }
}
