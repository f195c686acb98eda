import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, writeFile, mkdir, readdir } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { installBinaries, type InstallEvent } from "../../src/cluster/install/index.ts";
import { goArch } from "../../src/cluster/paths.ts";
import { versions } from "../../src/cluster/versions.ts";

/**
 * The download source against a local mirror serving fake binaries (shell scripts that report the
 * pinned versions): the real release hosts are not reachable from the build machines, and this checks
 * our side of it: URLs, checksums, extraction, the cache, idempotency and the lock.
 */
describe("installing from release downloads", () => {
  let server: Server;
  let mirror: string;
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const arch = goArch();
  const script = (output: string): Buffer => Buffer.from(`#!/bin/sh\necho "${output}"\n`);
  const sha = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

  before(async () => {
    for (const binary of ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubectl"]) {
      const data = script(
        binary === "kubectl"
          ? `Client Version: v${versions.kubernetes}`
          : `Kubernetes v${versions.kubernetes}`,
      );
      files.set(`/release/v${versions.kubernetes}/bin/linux/${arch}/${binary}`, data);
      files.set(
        `/release/v${versions.kubernetes}/bin/linux/${arch}/${binary}.sha256`,
        Buffer.from(sha(data)),
      );
    }
    const staging = await mkdtemp(join(tmpdir(), "kp-etcd-"));
    const top = `etcd-v${versions.etcd}-linux-${arch}`;
    await mkdir(join(staging, top));
    await writeFile(join(staging, top, "etcd"), script(`etcd Version: ${versions.etcd}`), { mode: 0o755 });
    await writeFile(join(staging, top, "etcdctl"), script("etcdctl"), { mode: 0o755 });
    execFileSync("tar", ["-czf", join(staging, "etcd.tar.gz"), "-C", staging, top]);
    const tarball = await readFile(join(staging, "etcd.tar.gz"));
    files.set(`/v${versions.etcd}/${top}.tar.gz`, tarball);
    files.set(
      `/v${versions.etcd}/SHA256SUMS`,
      Buffer.from(`${sha(tarball)}  ${top}.tar.gz\n0000  other-file.zip\n`),
    );
    files.set(`/v${versions.kwok}/kwok-linux-${arch}`, script(`kwok version v${versions.kwok}`));
    const helmTop = `linux-${arch}`;
    await mkdir(join(staging, helmTop));
    const helmOutput = `v${versions.helm}`;
    await writeFile(join(staging, helmTop, "helm"), script(helmOutput), { mode: 0o755 });
    execFileSync("tar", ["-czf", join(staging, "helm.tar.gz"), "-C", staging, helmTop]);
    const helmArchive = await readFile(join(staging, "helm.tar.gz"));
    const helmName = `helm-v${versions.helm}-linux-${arch}.tar.gz`;
    files.set(`/${helmName}`, helmArchive);
    files.set(`/${helmName}.sha256sum`, Buffer.from(`${sha(helmArchive)}  ${helmName}\n`));

    server = createServer((req, res) => {
      requests.push(req.url ?? "");
      const body = files.get(req.url ?? "");
      res.writeHead(body ? 200 : 404).end(body ?? "not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  test("downloads, verifies and caches every binary; a second install uses the cache", async () => {
    const home = await mkdtemp(join(tmpdir(), "kp-home-"));
    const env = { ...process.env, KUBEPROOF_DOWNLOAD_MIRROR: mirror, KUBEPROOF_BIN_DIR: "" };
    const events: InstallEvent[] = [];
    const paths = await installBinaries({ home, env, build: false, onEvent: (e) => events.push(e) });
    assert.deepEqual(Object.keys(paths).sort(), [
      "etcd",
      "kube-apiserver",
      "kube-controller-manager",
      "kube-scheduler",
      "kubectl",
      "kwok",
    ]);
    assert.equal(
      execFileSync(paths.etcd, ["--version"], { encoding: "utf8" }).trim(),
      `etcd Version: ${versions.etcd}`,
    );
    assert.deepEqual(await readdir(join(home, "bin")), [
      `etcd-v${versions.etcd}-linux-${arch}`,
      `kubernetes-v${versions.kubernetes}-linux-${arch}`,
      `kwok-v${versions.kwok}-linux-${arch}`,
    ]);
    assert.deepEqual(
      events.filter((e) => e.type === "resolved").map((e) => [e.component, e.source]),
      [
        ["etcd", "download"],
        ["kwok", "download"],
        ["kubernetes", "download"],
      ],
    );

    requests.length = 0;
    const again: InstallEvent[] = [];
    assert.deepEqual(
      await installBinaries({ home, env, build: false, onEvent: (e) => again.push(e) }),
      paths,
    );
    assert.deepEqual(requests, [], "nothing downloaded the second time");
    assert.ok(again.every((e) => e.type !== "resolved" || e.source === "cache"));
  });

  test("downloads helm's release archive, checks its .sha256sum and unpacks helm alone", async () => {
    const home = await mkdtemp(join(tmpdir(), "kp-home-"));
    const env = { ...process.env, KUBEPROOF_DOWNLOAD_MIRROR: mirror, KUBEPROOF_BIN_DIR: "" };
    const paths = await installBinaries({ home, env, build: false, components: ["helm"] });
    assert.deepEqual(Object.keys(paths), ["helm"]);
    assert.equal(
      execFileSync(paths.helm ?? "", ["version", "--short"], { encoding: "utf8" }).trim(),
      `v${versions.helm}`,
    );
    assert.deepEqual((await readdir(join(paths.helm ?? "", ".."))).sort(), [
      ".kubeproof-complete",
      "helm",
      `helm-v${versions.helm}-linux-${arch}.tar.gz`,
    ]);
  });

  test("two concurrent installs download once: the second waits for the lock, then uses the cache", async () => {
    const home = await mkdtemp(join(tmpdir(), "kp-home-"));
    const env = { ...process.env, KUBEPROOF_DOWNLOAD_MIRROR: mirror, KUBEPROOF_BIN_DIR: "" };
    requests.length = 0;
    const [a, b] = await Promise.all([
      installBinaries({ home, env, build: false }),
      installBinaries({ home, env, build: false }),
    ]);
    assert.deepEqual(a, b);
    const kwokDownloads = requests.filter((url) => url.endsWith(`kwok-linux-${arch}`));
    assert.equal(kwokDownloads.length, 1);
  });

  test("a checksum mismatch rejects the download and says so", async () => {
    const home = await mkdtemp(join(tmpdir(), "kp-home-"));
    const key = `/release/v${versions.kubernetes}/bin/linux/${arch}/kube-scheduler.sha256`;
    const good = files.get(key)!;
    files.set(key, Buffer.from("0".repeat(64)));
    try {
      await assert.rejects(
        installBinaries({
          home,
          env: { ...process.env, KUBEPROOF_DOWNLOAD_MIRROR: mirror, KUBEPROOF_BIN_DIR: "" },
          build: false,
        }),
        (error: Error) => {
          assert.match(error.message, /Could not install kubernetes v1\.36\.3/);
          assert.match(
            error.message,
            /- download: checksum mismatch for kube-scheduler: got [0-9a-f]{64}, published 0{64}/,
          );
          assert.match(error.message, /- build: disabled/);
          return true;
        },
      );
    } finally {
      files.set(key, good);
    }
  });
});
