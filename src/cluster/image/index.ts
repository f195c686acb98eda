import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { runSystemCommand } from "../command.ts";
import { findBinaries } from "../install/index.ts";
import { baseComponents } from "../versions.ts";
import { IMAGE_BINARIES, IMAGE_USER, imageEntries, type HostPrograms } from "./contents.ts";
import { writeImageArchive, type WrittenImage } from "./write.ts";

export { IMAGE_BINARIES, IMAGE_USER } from "./contents.ts";

/**
 * kubeproof's own image, built on this machine without Docker: what a gate Job with
 * `cluster: embedded` runs, so that the Job can start kubeproof's local cluster inside its pod.
 */

export interface ImageBuildOptions {
  /** The archive to write (an OCI layout in a tar, for `kubeproof cluster load`). */
  out: string;
  /** The name to import it as (default `kubeproof.local/kubeproof:<package version>`). */
  ref?: string;
  /** The checkout to package (default: the one this file is in); its dist/ must be built. */
  projectRoot?: string;
  /** Where the binary cache is (default `$KUBEPROOF_HOME`). */
  home?: string;
}

export interface BuiltImage extends WrittenImage {
  ref: string;
  files: number;
}

/** The project this code runs from: same depth from src/cluster/image/ and dist/cluster/image/. */
function defaultProjectRoot(): string {
  return fileURLToPath(new URL("../../../", import.meta.url));
}

async function onPath(program: string): Promise<string> {
  const result = await runSystemCommand("sh", ["-c", 'command -v "$1"', "sh", program], {
    allowFailure: true,
  });
  const path = result.stdout.trim();
  if (!path.startsWith("/"))
    throw new Error(`${program} is not installed on this machine; the image copies it`);
  return path;
}

async function hostPrograms(): Promise<HostPrograms> {
  const git = await onPath("git");
  const gitExecPath = (await runSystemCommand(git, ["--exec-path"])).stdout.trim();
  return { node: process.execPath, bash: await onPath("bash"), git, gitExecPath };
}

export async function defaultImageRef(projectRoot = defaultProjectRoot()): Promise<string> {
  const pkg = JSON.parse(await readFile(`${projectRoot}/package.json`, "utf8")) as { version: string };
  return `kubeproof.local/kubeproof:${pkg.version}`;
}

export async function buildKubeproofImage(options: ImageBuildOptions): Promise<BuiltImage> {
  const projectRoot = options.projectRoot ?? defaultProjectRoot();
  const binaries = await findBinaries({
    components: baseComponents,
    ...(options.home ? { home: options.home } : {}),
  });
  if (!binaries)
    throw new Error("the cluster's binaries are not installed; run `kubeproof cluster install` first");
  const ref = options.ref ?? (await defaultImageRef(projectRoot));
  const entries = await imageEntries({ projectRoot, programs: await hostPrograms(), binaries });
  const written = await writeImageArchive(
    {
      refs: [ref],
      entries,
      env: [
        "PATH=/usr/local/bin:/usr/bin:/bin",
        `HOME=${IMAGE_USER.home}`,
        `KUBEPROOF_BIN_DIR=${IMAGE_BINARIES}`,
        // kube-apiserver, etcd and kubectl side by side are what controller-runtime's envtest wants:
        // `make test` in a Job on this image finds them, as `kubeproof env` gives them locally.
        `KUBEBUILDER_ASSETS=${IMAGE_BINARIES}`,
        // The image holds its binaries: a mismatch is a broken image, not a reason to download.
        "KUBEPROOF_NO_DOWNLOAD=1",
      ],
      cmd: ["sh"],
      workingDir: IMAGE_USER.home,
    },
    options.out,
  );
  return { ...written, ref, files: entries.filter((e) => e.type === "file").length };
}
