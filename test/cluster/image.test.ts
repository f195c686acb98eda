import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { commandAvailable } from "../support/commands.ts";
import { writeImageArchive } from "../../src/cluster/image/write.ts";

const hasTar = commandAvailable("tar", ["--version"]);
const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

test(
  "a streamed image archive is an OCI layout whose gzip layer holds files from disk, long paths included",
  { skip: !hasTar && "no tar" },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), "kp-image-"));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const source = join(dir, "source.js");
    await writeFile(source, "console.log(1)\n");
    // node_modules paths go past ustar's 100-byte name field; the prefix field holds the rest.
    const deep = `opt/kubeproof/node_modules/${"a-long-package-name/".repeat(6)}index.js`;
    const out = join(dir, "image.tar");
    const written = await writeImageArchive(
      {
        refs: ["kubeproof.local/test:1"],
        entries: [
          { type: "dir", path: "opt", mode: 0o755 },
          { type: "file", path: deep, mode: 0o644, source },
          { type: "file", path: "opt/inline", mode: 0o755, content: Buffer.from("x") },
          { type: "symlink", path: "opt/link", target: "inline" },
        ],
        env: ["PATH=/bin"],
        cmd: ["sh"],
      },
      out,
    );
    const layout = join(dir, "layout");
    execFileSync("mkdir", ["-p", layout]);
    execFileSync("tar", ["-xf", out, "-C", layout]);
    const read = (digest: string): Buffer => readFileSync(join(layout, "blobs/sha256", digest.slice(7)));
    const index = JSON.parse(readFileSync(join(layout, "index.json"), "utf8"));
    assert.equal(index.manifests[0].annotations["io.containerd.image.name"], "kubeproof.local/test:1");
    assert.equal(index.manifests[0].digest, written.manifestDigest);
    const manifest = JSON.parse(read(index.manifests[0].digest).toString());
    const [layer] = manifest.layers;
    assert.equal(layer.mediaType, "application/vnd.oci.image.layer.v1.tar+gzip");
    const blob = read(layer.digest);
    assert.equal(`sha256:${sha256(blob)}`, layer.digest);
    assert.equal(blob.length, layer.size);
    const config = JSON.parse(read(manifest.config.digest).toString());
    assert.deepEqual(config.config.Env, ["PATH=/bin"]);
    const unpacked = execFileSync("gzip", ["-dc"], { input: blob });
    assert.equal(`sha256:${sha256(unpacked)}`, config.rootfs.diff_ids[0]);
    assert.equal(unpacked.length, written.layerBytes);
    const root = join(dir, "root");
    execFileSync("mkdir", ["-p", root]);
    execFileSync("tar", ["-xf", "-", "-C", root], { input: unpacked });
    assert.equal(readFileSync(join(root, deep), "utf8"), "console.log(1)\n");
    assert.equal(execFileSync("readlink", [join(root, "opt/link")], { encoding: "utf8" }).trim(), "inline");
  },
);
