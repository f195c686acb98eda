/**
 * Regenerates the Go wrapper modules under tools/k8s/ from src/cluster/versions.ts (`npm run k8s:pin`):
 * go.mod files that require the pinned modules, the Kubernetes staging replacements derived from the
 * pinned k8s.io/kubernetes go.mod, and go.sum through `go mod tidy`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { goToolsDir } from "../src/cluster/paths.ts";
import { versions } from "../src/cluster/versions.ts";

const env = { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" };
const goVersion = "1.26.0";
const tools = goToolsDir();

/** `replace k8s.io/x => ./staging/...` lines of the pinned Kubernetes go.mod, mapped to published v0.Y.Z. */
export function stagingReplacements(kubernetesGoMod: string, kubernetesVersion: string): string[] {
  const stagingVersion = `v0.${kubernetesVersion.split(".").slice(1).join(".")}`;
  const required = new Set(
    [...kubernetesGoMod.matchAll(/^\s+(k8s\.io\/[\w.-]+) v0\.0\.0$/gm)].map((m) => m[1]),
  );
  return [...kubernetesGoMod.matchAll(/^\s+(k8s\.io\/[\w.-]+) => \.\/staging\//gm)]
    .map((m) => m[1])
    .filter((module) => required.has(module))
    .map((module) => `\t${module} => ${module} ${stagingVersion}`);
}

function write(component: string, content: string): void {
  writeFileSync(join(tools, component, "go.mod"), content);
  execFileSync("go", ["mod", "tidy"], { cwd: join(tools, component), env, stdio: "inherit" });
  console.log(`tools/k8s/${component}: pinned`);
}

function main(): void {
  const info = JSON.parse(
    execFileSync("go", ["mod", "download", "-json", `k8s.io/kubernetes@v${versions.kubernetes}`], {
      env,
      encoding: "utf8",
    }),
  ) as { GoMod: string };
  const replacements = stagingReplacements(readFileSync(info.GoMod, "utf8"), versions.kubernetes);
  write(
    "kubernetes",
    `module kubeproof.dev/tools/k8s/kubernetes\n\ngo ${goVersion}\n\nrequire k8s.io/kubernetes v${versions.kubernetes}\n\n` +
      "tool (\n\tk8s.io/kubernetes/cmd/kube-apiserver\n\tk8s.io/kubernetes/cmd/kube-controller-manager\n" +
      "\tk8s.io/kubernetes/cmd/kube-proxy\n\tk8s.io/kubernetes/cmd/kube-scheduler\n\tk8s.io/kubernetes/cmd/kubectl\n" +
      "\tk8s.io/kubernetes/cmd/kubelet\n\tk8s.io/kubernetes/test/images/agnhost\n)\n\n" +
      `replace (\n${replacements.join("\n")}\n)\n`,
  );
  write(
    "etcd",
    `module kubeproof.dev/tools/k8s/etcd\n\ngo ${goVersion}\n\nrequire go.etcd.io/etcd/server/v3 v${versions.etcd}\n`,
  );
  write(
    "kwok",
    `module kubeproof.dev/tools/k8s/kwok\n\ngo ${goVersion}\n\nrequire sigs.k8s.io/kwok v${versions.kwok}\n\ntool sigs.k8s.io/kwok/cmd/kwok\n`,
  );
  const tools = (module: string, commands: string[]): string =>
    `tool (\n${commands.map((c) => `\t${module}/${c}\n`).join("")})\n`;
  write(
    "containerd",
    `module kubeproof.dev/tools/k8s/containerd\n\ngo ${goVersion}\n\nrequire github.com/containerd/containerd/v2 v${versions.containerd}\n\n` +
      tools("github.com/containerd/containerd/v2/cmd", ["containerd", "containerd-shim-runc-v2", "ctr"]),
  );
  write(
    "cni-plugins",
    `module kubeproof.dev/tools/k8s/cni-plugins\n\ngo ${goVersion}\n\nrequire github.com/containernetworking/plugins v${versions["cni-plugins"]}\n\n` +
      tools("github.com/containernetworking/plugins/plugins", [
        "ipam/host-local",
        "main/bridge",
        "main/loopback",
        "meta/portmap",
      ]),
  );
  // CoreDNS's main.go (the plugins the cluster DNS uses) stays; only the version changes.
  write(
    "coredns",
    `module kubeproof.dev/tools/k8s/coredns\n\ngo ${goVersion}\n\nrequire github.com/coredns/coredns v${versions.coredns}\n`,
  );
  write(
    "helm",
    `module kubeproof.dev/tools/k8s/helm\n\ngo ${goVersion}\n\nrequire helm.sh/helm/v4 v${versions.helm}\n\ntool helm.sh/helm/v4/cmd/helm\n`,
  );
  write("pause", `module kubeproof.dev/tools/k8s/pause\n\ngo ${goVersion}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
