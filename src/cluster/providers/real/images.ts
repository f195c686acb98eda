import { readFile, writeFile } from "node:fs/promises";
import { runSystemCommand } from "../../command.ts";
import { versions } from "../../versions.ts";
import type { ImageSpec, LayerEntry } from "./oci.ts";
import { ociArchive } from "./oci.ts";

/** The system's static busybox (Debian's busybox-static): the built-in image's shell and tools. */
export const busyboxBinary = "/bin/busybox";

/** The built-in images every real node has from its start; pods use them with no registry. */
export const builtinImages = {
  pause: `kubeproof.local/pause:${versions.pause}`,
  busybox: "kubeproof.local/busybox:1",
  /** The same image under the name upstream suites use: pullable through the node's mirror too. */
  busyboxUpstream: "docker.io/library/busybox:1",
  agnhost: `kubeproof.local/agnhost:${versions.agnhost}`,
} as const;

const minimalEtc: LayerEntry[] = [
  { type: "dir", path: "etc" },
  { type: "dir", path: "tmp", mode: 0o1777 },
  {
    type: "file",
    path: "etc/passwd",
    content: Buffer.from("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"),
  },
  { type: "file", path: "etc/group", content: Buffer.from("root:x:0:\nnogroup:x:65534:\n") },
];

export async function busyboxImage(): Promise<ImageSpec> {
  const binary = await readFile(busyboxBinary);
  // Every applet as a link, as the busybox image has them: `sh`, `echo`, `wget`, `nslookup`...
  const applets = (await runSystemCommand(busyboxBinary, ["--list"])).stdout
    .split("\n")
    .filter((a) => /^[\w.[-]+$/.test(a));
  return {
    refs: [builtinImages.busybox, builtinImages.busyboxUpstream],
    entries: [
      ...minimalEtc,
      { type: "dir", path: "bin" },
      { type: "file", path: "bin/busybox", content: binary, mode: 0o755 },
      ...applets
        .filter((applet) => applet !== "busybox")
        .map((applet): LayerEntry => ({ type: "symlink", path: `bin/${applet}`, target: "busybox" })),
    ],
    cmd: ["sh"],
  };
}

/** One static binary at the root, as its entrypoint. */
async function singleBinaryImage(refs: string[], binaryPath: string, name: string): Promise<ImageSpec> {
  return {
    refs,
    entries: [...minimalEtc, { type: "file", path: name, content: await readFile(binaryPath), mode: 0o755 }],
    entrypoint: [`/${name}`],
  };
}

/** Writes the built-in images (pause, busybox, agnhost) as one OCI archive for `ctr images import`. */
export async function writeBuiltinImages(
  file: string,
  binaries: { pause: string; agnhost: string },
): Promise<void> {
  const images = await Promise.all([
    singleBinaryImage([builtinImages.pause], binaries.pause, "pause"),
    busyboxImage(),
    singleBinaryImage(
      [
        builtinImages.agnhost,
        `registry.k8s.io/e2e-test-images/agnhost:${versions.agnhost.split(".").slice(0, 2).join(".")}`,
      ],
      binaries.agnhost,
      "agnhost",
    ),
  ]);
  await writeFile(file, ociArchive(images));
}
