import { createHash } from "node:crypto";

/**
 * Writes OCI image archives with no registry and no container tool: a tar of an OCI layout
 * (`oci-layout`, `index.json`, `blobs/sha256/...`) holding one uncompressed layer, which
 * `ctr images import` takes as is. Enough for the built-in images (one static binary or busybox).
 */

/** One entry of a layer: a file with its content, a directory, or a symbolic link. */
export type LayerEntry =
  | { type: "file"; path: string; content: Buffer; mode?: number }
  | { type: "dir"; path: string; mode?: number }
  | { type: "symlink"; path: string; target: string };

export interface ImageSpec {
  /** Every name the image is imported under, e.g. `kubeproof.local/busybox:1.35`. */
  refs: readonly string[];
  entries: readonly LayerEntry[];
  entrypoint?: readonly string[];
  cmd?: readonly string[];
  env?: readonly string[];
}

const blockSize = 512;

/** ustar splits a long path at a `/` into a prefix (at most 155 bytes) and a name (at most 100). */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: "", name: path };
  for (let cut = path.indexOf("/"); cut !== -1; cut = path.indexOf("/", cut + 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== "")
      return { prefix, name };
  }
  throw new Error(`tar path too long: ${path}`);
}

/** One ustar header block (owner root, mtime 0, so the same files give the same archive). */
export function tarHeader(
  path: string,
  options: { size: number; mode: number; type: string; link?: string },
): Buffer {
  const block = Buffer.alloc(blockSize);
  const { prefix, name } = splitPath(path);
  Buffer.from(name).copy(block, 0);
  Buffer.from(prefix).copy(block, 345);
  if (options.link !== undefined && Buffer.byteLength(options.link) > 100)
    throw new Error(`tar link target too long: ${options.link}`);
  const octal = (value: number, width: number): string => value.toString(8).padStart(width - 1, "0") + "\0";
  block.write(octal(options.mode, 8), 100);
  block.write(octal(0, 8), 108);
  block.write(octal(0, 8), 116);
  block.write(octal(options.size, 12), 124);
  block.write(octal(0, 12), 136);
  block.write("        ", 148);
  block.write(options.type, 156);
  if (options.link) block.write(options.link, 157);
  block.write("ustar\0", 257);
  block.write("00", 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return block;
}

export function tarPadding(size: number): Buffer {
  return Buffer.alloc((blockSize - (size % blockSize)) % blockSize);
}

/** A ustar archive of the entries, in order. */
export function tarArchive(entries: readonly LayerEntry[]): Buffer {
  const chunks: Buffer[] = [];
  for (const entry of entries) {
    switch (entry.type) {
      case "file":
        chunks.push(
          tarHeader(entry.path, { size: entry.content.length, mode: entry.mode ?? 0o644, type: "0" }),
          entry.content,
          tarPadding(entry.content.length),
        );
        break;
      case "dir":
        chunks.push(
          tarHeader(entry.path.endsWith("/") ? entry.path : `${entry.path}/`, {
            size: 0,
            mode: entry.mode ?? 0o755,
            type: "5",
          }),
        );
        break;
      case "symlink":
        chunks.push(tarHeader(entry.path, { size: 0, mode: 0o777, type: "2", link: entry.target }));
        break;
    }
  }
  chunks.push(Buffer.alloc(blockSize * 2));
  return Buffer.concat(chunks);
}

function sha256(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/** An OCI layout as a tar: one manifest per image, each annotated with every name to import it as. */
export function ociArchive(images: readonly ImageSpec[]): Buffer {
  const blobs = new Map<string, Buffer>();
  const blob = (data: Buffer): { digest: string; size: number } => {
    const hex = sha256(data);
    blobs.set(hex, data);
    return { digest: `sha256:${hex}`, size: data.length };
  };
  const manifests = images.flatMap((image) => {
    const layer = tarArchive(image.entries);
    const layerBlob = blob(layer);
    const config = blob(
      Buffer.from(
        JSON.stringify({
          architecture: "amd64",
          os: "linux",
          config: {
            ...(image.entrypoint ? { Entrypoint: image.entrypoint } : {}),
            ...(image.cmd ? { Cmd: image.cmd } : {}),
            Env: image.env ?? ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
          },
          rootfs: { type: "layers", diff_ids: [layerBlob.digest] },
        }),
      ),
    );
    const manifest = blob(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          config: { mediaType: "application/vnd.oci.image.config.v1+json", ...config },
          layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", ...layerBlob }],
        }),
      ),
    );
    return image.refs.map((ref) => ({
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      ...manifest,
      annotations: { "io.containerd.image.name": ref, "org.opencontainers.image.ref.name": ref },
    }));
  });
  const index = { schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests };
  return tarArchive([
    { type: "file", path: "oci-layout", content: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    { type: "file", path: "index.json", content: Buffer.from(JSON.stringify(index)) },
    { type: "dir", path: "blobs" },
    { type: "dir", path: "blobs/sha256" },
    ...[...blobs].map(([hex, data]): LayerEntry => ({
      type: "file",
      path: `blobs/sha256/${hex}`,
      content: data,
    })),
  ]);
}
