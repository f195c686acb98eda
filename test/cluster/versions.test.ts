import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { commandAvailable } from "../support/commands.ts";
import { goToolsDir } from "../../src/cluster/paths.ts";
import { versions } from "../../src/cluster/versions.ts";
import { stagingReplacements } from "../../scripts/pin-k8s.ts";

const goMod = (component: string): string => readFileSync(join(goToolsDir(), component, "go.mod"), "utf8");
/** A `require` of module@version, standalone or in a require block (`go mod tidy` writes either). */
const requires = (module: string, version: string): RegExp =>
  new RegExp(
    `^(require |\\t)${module.replaceAll(".", "\\.")} v${version.replaceAll(".", "\\.")}( // indirect)?$`,
    "m",
  );

test("the Go wrapper modules require exactly the versions pinned in versions.ts", () => {
  assert.match(goMod("kubernetes"), requires("k8s.io/kubernetes", versions.kubernetes));
  assert.match(goMod("etcd"), requires("go.etcd.io/etcd/server/v3", versions.etcd));
  assert.match(goMod("kwok"), requires("sigs.k8s.io/kwok", versions.kwok));
  assert.match(goMod("containerd"), requires("github.com/containerd/containerd/v2", versions.containerd));
  assert.match(
    goMod("cni-plugins"),
    requires("github.com/containernetworking/plugins", versions["cni-plugins"]),
  );
  assert.match(goMod("coredns"), requires("github.com/coredns/coredns", versions.coredns));
  assert.match(goMod("helm"), requires("helm.sh/helm/v4", versions.helm));
  assert.equal(
    versions["kubernetes-node"],
    versions.kubernetes,
    "kubelet and kube-proxy are the control plane's release",
  );
});

const hasGo = commandAvailable("go", ["version"]);

test(
  "agnhost's pin is the VERSION of the pinned k8s.io/kubernetes",
  { skip: !hasGo && "no go on PATH" },
  () => {
    const info = JSON.parse(
      execFileSync("go", ["mod", "download", "-json", `k8s.io/kubernetes@v${versions.kubernetes}`], {
        cwd: join(goToolsDir(), "kubernetes"),
        env: { ...process.env, GOTOOLCHAIN: "local", GOFLAGS: "-mod=mod" },
        encoding: "utf8",
      }),
    ) as { Dir: string };
    assert.equal(
      readFileSync(join(info.Dir, "test/images/agnhost/VERSION"), "utf8").trim(),
      versions.agnhost,
    );
  },
);

test("every staging module is replaced with the published v0.Y.Z of the pinned release", () => {
  const staging = `v0.${versions.kubernetes.split(".").slice(1).join(".")}`;
  const replaces = [...goMod("kubernetes").matchAll(/^\t(k8s\.io\/[\w.-]+) => (k8s\.io\/[\w.-]+) (v\S+)$/gm)];
  assert.ok(replaces.length >= 30, `expected the ~30 staging modules, found ${replaces.length}`);
  for (const [, from, to, version] of replaces) {
    assert.equal(to, from);
    assert.equal(version, staging, `${from} replaced with ${version}`);
  }
});

test("staging replacements come from the pinned go.mod's ./staging replaces that it requires", () => {
  const kubernetesGoMod = [
    "require (",
    "\tk8s.io/api v0.0.0",
    "\tk8s.io/klog/v2 v2.140.0",
    "\tk8s.io/client-go v0.0.0",
    ")",
    "replace (",
    "\tk8s.io/api => ./staging/src/k8s.io/api",
    "\tk8s.io/client-go => ./staging/src/k8s.io/client-go",
    "\tk8s.io/sample-cli-plugin => ./staging/src/k8s.io/sample-cli-plugin",
    ")",
  ].join("\n");
  assert.deepEqual(stagingReplacements(kubernetesGoMod, "1.36.3"), [
    "\tk8s.io/api => k8s.io/api v0.36.3",
    "\tk8s.io/client-go => k8s.io/client-go v0.36.3",
  ]);
});
