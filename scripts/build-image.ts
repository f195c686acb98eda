/**
 * `npm run image:build -- [--out FILE] [--ref NAME]`: builds kubeproof's own image (node, kubeproof and
 * the kwok-only cluster's binaries, with a shell and git) as an OCI archive from this machine's files,
 * with no Docker. Load it into a cluster with a real node with `kubeproof cluster load FILE`.
 * docs/gate.md#the-embedded-cluster-image says what it holds.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildKubeproofImage } from "../src/cluster/image/index.ts";
import { formatDuration } from "../src/source/duration.ts";

const { values } = parseArgs({
  options: { out: { type: "string", default: "kubeproof-image.tar" }, ref: { type: "string" } },
});
const started = Date.now();
const image = await buildKubeproofImage({
  out: resolve(values.out),
  ...(values.ref ? { ref: values.ref } : {}),
});
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
process.stdout.write(
  `${image.ref}: ${resolve(values.out)}, ${mib(image.archiveBytes)} (${mib(image.layerBytes)} unpacked, ` +
    `${image.files} files) in ${formatDuration(Date.now() - started)}\n`,
);
