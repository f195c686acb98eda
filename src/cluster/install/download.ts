import { createHash } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { goArch } from "../paths.ts";
import type { ComponentName } from "../versions.ts";
import { componentBinaries, versions } from "../versions.ts";
import type { InstallListener } from "../../model/cluster-events.ts";
import { commandFailure, runCommand } from "../../process/index.ts";
import { errorMessage } from "../../source/errors.ts";

/** Official release locations; `KUBEPROOF_DOWNLOAD_MIRROR` replaces the host part for internal mirrors. */
function releaseUrls(env: NodeJS.ProcessEnv): Record<ComponentName, string | undefined> {
  const mirror = env.KUBEPROOF_DOWNLOAD_MIRROR?.replace(/\/+$/, "");
  const arch = goArch();
  const github = (repo: string, version: string): string =>
    `${mirror ?? `https://github.com/${repo}/releases/download`}/v${version}`;
  const kubernetes = (version: string): string =>
    `${mirror ?? "https://dl.k8s.io"}/release/v${version}/bin/linux/${arch}`;
  return {
    kubernetes: kubernetes(versions.kubernetes),
    "kubernetes-node": kubernetes(versions["kubernetes-node"]),
    etcd: github("etcd-io/etcd", versions.etcd),
    kwok: github("kubernetes-sigs/kwok", versions.kwok),
    containerd: github("containerd/containerd", versions.containerd),
    "cni-plugins": github("containernetworking/plugins", versions["cni-plugins"]),
    coredns: github("coredns/coredns", versions.coredns),
    helm: `${mirror ?? "https://get.helm.sh"}`,
    // Not released as binaries: built from Go modules only.
    agnhost: undefined,
    pause: undefined,
  };
}

export interface DownloadOptions {
  env: NodeJS.ProcessEnv;
  onEvent: InstallListener;
  /** Give up on a silent server after this long; a closed network answers at once anyway. */
  timeoutMs?: number;
}

/**
 * Downloads one component's official release binaries into `targetDir`, verifying the published
 * SHA-256 checksums where the project publishes them. Throws with the reason when unreachable.
 */
export async function downloadComponent(
  component: ComponentName,
  targetDir: string,
  options: DownloadOptions,
): Promise<void> {
  await mkdir(targetDir, { recursive: true });
  const base = releaseUrls(options.env)[component];
  if (base === undefined)
    throw new Error(`${component} has no release download; it is built from Go modules`);
  const arch = goArch();
  switch (component) {
    case "kubernetes":
    case "kubernetes-node":
      for (const binary of componentBinaries[component]) {
        const data = await fetchBytes(`${base}/${binary}`, component, binary, options);
        const expected = (await fetchText(`${base}/${binary}.sha256`, options)).trim().split(/\s+/)[0] ?? "";
        verifySha256(data, expected, binary);
        await writeExecutable(join(targetDir, binary), data);
      }
      return;
    case "etcd": {
      const archive = `etcd-v${versions.etcd}-linux-${arch}.tar.gz`;
      const data = await fetchBytes(`${base}/${archive}`, component, archive, options);
      const sums = await fetchText(`${base}/SHA256SUMS`, options);
      verifySha256(data, checksumFor(sums, archive), archive);
      const tarball = join(targetDir, archive);
      await writeFile(tarball, data);
      await unpack(tarball, { targetDir, strip: 1, members: [`etcd-v${versions.etcd}-linux-${arch}/etcd`] });
      return;
    }
    case "kwok": {
      const file = `kwok-linux-${arch}`;
      const data = await fetchBytes(`${base}/${file}`, component, file, options);
      await writeExecutable(join(targetDir, "kwok"), data);
      return;
    }
    case "containerd":
      return fetchArchive(`containerd-${versions.containerd}-linux-${arch}.tar.gz`, ".sha256sum", {
        component,
        base,
        targetDir,
        options,
        members: componentBinaries.containerd.map((binary) => `bin/${binary}`),
        strip: 1,
      });
    case "cni-plugins":
      return fetchArchive(`cni-plugins-linux-${arch}-v${versions["cni-plugins"]}.tgz`, ".sha256", {
        component,
        base,
        targetDir,
        options,
        members: componentBinaries["cni-plugins"].map((binary) => `./${binary}`),
        strip: 1,
      });
    case "coredns":
      return fetchArchive(`coredns_${versions.coredns}_linux_${arch}.tgz`, ".sha256", {
        component,
        base,
        targetDir,
        options,
        members: ["coredns"],
        strip: 0,
      });
    case "helm":
      return fetchArchive(`helm-v${versions.helm}-linux-${arch}.tar.gz`, ".sha256sum", {
        component,
        base,
        targetDir,
        options,
        members: [`linux-${arch}/helm`],
        strip: 1,
      });
    case "agnhost":
    case "pause":
      throw new Error(`${component} has no release download`);
  }
}

/** A release tarball with a checksum file beside it (`<archive><suffix>`): verified, then the members unpacked. */
async function fetchArchive(
  archive: string,
  checksumSuffix: string,
  at: {
    component: ComponentName;
    base: string;
    targetDir: string;
    options: DownloadOptions;
    members: string[];
    strip: number;
  },
): Promise<void> {
  const data = await fetchBytes(`${at.base}/${archive}`, at.component, archive, at.options);
  const sum = (await fetchText(`${at.base}/${archive}${checksumSuffix}`, at.options)).trim().split(/\s+/)[0];
  verifySha256(data, sum ?? "", archive);
  const tarball = join(at.targetDir, archive);
  await writeFile(tarball, data);
  await unpack(tarball, at);
}

/** Extracts `members` of a downloaded .tar.gz into `targetDir`, dropping `strip` leading folders. */
async function unpack(
  tarball: string,
  into: { targetDir: string; strip: number; members: readonly string[] },
): Promise<void> {
  const args = ["-xzf", tarball, "-C", into.targetDir, `--strip-components=${into.strip}`, ...into.members];
  const failure = commandFailure(await runCommand({ command: "tar", args }));
  if (failure !== undefined) throw new Error(`cannot unpack ${basename(tarball)}: tar: ${failure}`);
}

async function fetchResponse(url: string, options: DownloadOptions): Promise<Response> {
  const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) }).catch(
    (error: unknown) => {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      throw new Error(`cannot reach ${url}${cause || `: ${errorMessage(error)}`}`);
    },
  );
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return response;
}

async function fetchText(url: string, options: DownloadOptions): Promise<string> {
  return (await fetchResponse(url, options)).text();
}

async function fetchBytes(
  url: string,
  component: ComponentName,
  file: string,
  options: DownloadOptions,
): Promise<Buffer> {
  const response = await fetchResponse(url, options);
  const total = Number(response.headers.get("content-length")) || undefined;
  const chunks: Buffer[] = [];
  let bytes = 0;
  let reported = 0;
  if (!response.body) throw new Error(`${url} sent no body`);
  for await (const chunk of response.body) {
    const buffer = Buffer.from(chunk as Uint8Array);
    chunks.push(buffer);
    bytes += buffer.length;
    if (bytes - reported > 4 * 1024 * 1024) {
      reported = bytes;
      options.onEvent({ type: "download-progress", component, file, bytes, totalBytes: total });
    }
  }
  options.onEvent({ type: "download-progress", component, file, bytes, totalBytes: total });
  return Buffer.concat(chunks);
}

function checksumFor(sums: string, file: string): string {
  for (const line of sums.split("\n")) {
    const [sum, name] = line.trim().split(/\s+/);
    if (name === file && sum) return sum;
  }
  throw new Error(`no checksum for ${file} in SHA256SUMS`);
}

function verifySha256(data: Buffer, expected: string, file: string): void {
  const actual = createHash("sha256").update(data).digest("hex");
  if (actual !== expected.toLowerCase()) {
    throw new Error(`checksum mismatch for ${file}: got ${actual}, published ${expected}`);
  }
}

async function writeExecutable(path: string, data: Buffer): Promise<void> {
  await writeFile(path, data);
  await chmod(path, 0o755);
}
