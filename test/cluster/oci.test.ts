import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { commandAvailable } from "../support/commands.ts";
import {
  ensureSystemPackages,
  isStaticElf,
  missingSystemPackages,
} from "../../src/cluster/install/system.ts";
import { ociArchive, tarArchive } from "../../src/cluster/providers/real/oci.ts";

const hasTar = commandAvailable("tar", ["--version"]);

test("the tar writer's archives list as GNU tar reads them", { skip: !hasTar && "no tar" }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kp-tar-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, "layer.tar");
  await writeFile(
    file,
    tarArchive([
      { type: "dir", path: "bin" },
      { type: "file", path: "bin/tool", content: Buffer.from("#!/bin/sh\necho hi\n"), mode: 0o755 },
      { type: "symlink", path: "bin/alias", target: "tool" },
      { type: "dir", path: "tmp", mode: 0o1777 },
    ]),
  );
  const listing = execFileSync("tar", ["-tvf", file], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((line) => {
      const fields = line.split(/\s+/);
      return `${fields[0]} ${fields[2]} ${fields.slice(5).join(" ")}`;
    });
  assert.deepEqual(listing, [
    "drwxr-xr-x 0 bin/",
    "-rwxr-xr-x 18 bin/tool",
    "lrwxrwxrwx 0 bin/alias -> tool",
    "drwxrwxrwt 0 tmp/",
  ]);
});

test("an OCI archive holds a layout whose index names each image and points at its manifest", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "kp-oci-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, "image.tar");
  await writeFile(
    file,
    ociArchive([
      {
        refs: ["example.com/a:1", "example.com/b:2"],
        entries: [{ type: "file", path: "x", content: Buffer.from("x") }],
        entrypoint: ["/x"],
      },
    ]),
  );
  execFileSync("tar", ["-xf", file, "-C", dir]);
  const read = (path: string): any => JSON.parse(readFileSync(join(dir, path), "utf8"));
  assert.deepEqual(read("oci-layout"), { imageLayoutVersion: "1.0.0" });
  const index = read("index.json");
  assert.deepEqual(
    (index.manifests as { annotations: Record<string, string> }[]).map(
      (m) => m.annotations["io.containerd.image.name"],
    ),
    ["example.com/a:1", "example.com/b:2"],
  );
  const manifest = read(`blobs/sha256/${index.manifests[0].digest.slice(7)}`);
  const config = read(`blobs/sha256/${manifest.config.digest.slice(7)}`);
  assert.deepEqual(config.config.Entrypoint, ["/x"]);
  // The layer is uncompressed, so its digest is also its diff ID.
  assert.deepEqual(config.rootfs.diff_ids, [manifest.layers[0].digest]);
});

test("static executables are told from dynamic ones by their program headers", async () => {
  // node itself is dynamically linked on every platform kubeproof supports.
  assert.equal(await isStaticElf(process.execPath), false);
  const busybox = "/bin/busybox";
  if ((await missingSystemPackages()).includes("busybox-static")) return;
  assert.equal(await isStaticElf(busybox), true);
});

test("a missing or dynamic system command is reported by its package, with the command to install it", async () => {
  const needs = [
    { command: "kubeproof-no-such-command", debianPackage: "fake-tools" },
    { command: process.execPath, debianPackage: "fake-static", static: true },
    { command: process.execPath, debianPackage: "fake-present" },
  ];
  assert.deepEqual(await missingSystemPackages(process.env, needs), ["fake-tools", "fake-static"]);
  await assert.rejects(
    ensureSystemPackages({ env: process.env, onEvent: () => {}, install: false, needs }),
    /missing: fake-tools, fake-static\nTo fix: (sudo )?apt-get install -y --no-install-recommends fake-tools fake-static/,
  );
});
