import { join } from "node:path";
import { launchProcess, lineStream } from "../../process/index.ts";
import { goToolsDir } from "../paths.ts";
import type { ComponentName } from "../versions.ts";
import { componentBinaries, versions } from "../versions.ts";
import type { InstallListener } from "../../model/cluster-events.ts";

/** The minimum Go the pinned modules declare (`go` line of tools/k8s/*\/go.mod). */
const minimumGo = [1, 26] as const;

export interface BuildOptions {
  env: NodeJS.ProcessEnv;
  onEvent: InstallListener;
  signal?: AbortSignal;
}

const kubernetesCmd = (binary: string): string => `k8s.io/kubernetes/cmd/${binary}`;

/**
 * Each component's wrapper module (under tools/k8s/) and what `go build` builds there: some of its `tool`
 * directives, all of them, or its own main package. The control plane, the node and agnhost share the
 * Kubernetes module, so each builds only its own binaries.
 */
const buildTargets: Record<ComponentName, { module: string; packages: readonly string[] }> = {
  kubernetes: { module: "kubernetes", packages: componentBinaries.kubernetes.map(kubernetesCmd) },
  "kubernetes-node": {
    module: "kubernetes",
    packages: componentBinaries["kubernetes-node"].map(kubernetesCmd),
  },
  agnhost: { module: "kubernetes", packages: ["k8s.io/kubernetes/test/images/agnhost"] },
  etcd: { module: "etcd", packages: ["."] },
  kwok: { module: "kwok", packages: ["tool"] },
  containerd: { module: "containerd", packages: ["tool"] },
  "cni-plugins": { module: "cni-plugins", packages: ["tool"] },
  coredns: { module: "coredns", packages: ["."] },
  pause: { module: "pause", packages: ["."] },
  helm: { module: "helm", packages: ["tool"] },
};

/** How each component stamps its version, so `cluster install` can check the binaries it finds. */
function ldflags(component: ComponentName): string {
  switch (component) {
    case "kubernetes":
    case "kubernetes-node":
      return kubernetesLdflags();
    case "containerd":
      return `-s -w -X github.com/containerd/containerd/v2/version.Version=${versions.containerd}`;
    case "cni-plugins":
      return `-s -w -X github.com/containernetworking/plugins/pkg/utils/buildversion.BuildVersion=v${versions["cni-plugins"]}`;
    case "agnhost":
      return `-s -w -X main.Version=${versions.agnhost}`;
    case "pause":
      return `-s -w -X main.version=${versions.pause}`;
    case "helm":
      return `-s -w -X helm.sh/helm/v4/internal/version.version=v${versions.helm}`;
    case "etcd":
    case "kwok":
    case "coredns":
      return "-s -w";
  }
}

/** Version stamping as Kubernetes' own build does it (hack/lib/version.sh), so `kubectl version` is true. */
function kubernetesLdflags(): string {
  const [major, minor] = versions.kubernetes.split(".");
  const gitVersion = `v${versions.kubernetes}`;
  const buildDate = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  const flags = ["-s", "-w"];
  for (const pkg of ["k8s.io/component-base/version", "k8s.io/client-go/pkg/version"]) {
    flags.push(
      `-X ${pkg}.gitVersion=${gitVersion}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
      `-X ${pkg}.buildDate=${buildDate}`,
    );
  }
  return flags.join(" ");
}

/**
 * Builds one component from its pinned Go wrapper module into `outDir`, reporting progress. Needs `go`
 * (>= 1.26) on PATH and the Go module proxy (or a warm module cache).
 */
export async function buildComponent(
  component: ComponentName,
  outDir: string,
  options: BuildOptions,
): Promise<void> {
  await checkGoVersion(options.env);
  const target = buildTargets[component];
  const moduleDir = join(goToolsDir(), target.module);
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    GOTOOLCHAIN: "local",
    CGO_ENABLED: "0",
    GOFLAGS: "-mod=readonly -buildvcs=false",
  };
  const started = Date.now();
  options.onEvent({ type: "build-start", component, binaries: componentBinaries[component] });

  options.onEvent({ type: "build-phase", component, phase: "download-modules" });
  await runGo(["mod", "download"], { cwd: moduleDir, env, signal: options.signal });

  options.onEvent({ type: "build-phase", component, phase: "compile" });
  let packages = 0;
  const args = ["build", "-v", "-trimpath", `-ldflags=${ldflags(component)}`, "-o", `${outDir}/`];
  await runGo([...args, ...target.packages], {
    cwd: moduleDir,
    env,
    signal: options.signal,
    onLine: (line) => {
      // `go build -v` names each package as it compiles it; count them for a sign of life.
      if (!/^[\w.-]+(\/[\w.~+-]+)*$/.test(line)) return;
      packages += 1;
      options.onEvent({
        type: "build-progress",
        component,
        packages,
        current: line,
        elapsedMs: Date.now() - started,
      });
    },
  });
  options.onEvent({ type: "build-done", component, elapsedMs: Date.now() - started });
}

async function checkGoVersion(env: NodeJS.ProcessEnv): Promise<void> {
  let output = "";
  try {
    await runGo(["env", "GOVERSION"], {
      cwd: process.cwd(),
      env: { ...env, GOTOOLCHAIN: "local" },
      onLine: (line) => {
        output += line;
      },
    });
  } catch {
    throw new Error(
      "Go is not installed (no `go` on PATH), so the cluster binaries cannot be built from source. " +
        `Install Go >= ${minimumGo.join(".")}, or put prebuilt binaries in a directory and pass ` +
        "`--bin-dir DIR` (or set KUBEPROOF_BIN_DIR).",
    );
  }
  const match = /go(\d+)\.(\d+)/.exec(output);
  const major = Number(match?.[1] ?? 0);
  const minor = Number(match?.[2] ?? 0);
  if (major < minimumGo[0] || (major === minimumGo[0] && minor < minimumGo[1])) {
    throw new Error(
      `Go ${output.trim() || "(unknown version)"} is too old to build Kubernetes v${versions.kubernetes}; ` +
        `install Go >= ${minimumGo.join(".")} or pass --bin-dir with prebuilt binaries.`,
    );
  }
}

interface GoRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

async function runGo(args: string[], { cwd, env, signal, onLine }: GoRun): Promise<void> {
  const tail: string[] = [];
  const collect = (line: string): void => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
    onLine?.(line);
  };
  const launched = launchProcess({
    command: "go",
    args,
    cwd,
    env,
    stdout: lineStream(collect),
    stderr: lineStream(collect),
    // An interrupted build stops the compilers and linkers go started, not only go itself.
    signal,
    killGraceMs: 2000,
    afterExit: "kill",
  });
  const exit = await launched.exited;
  if (exit.error) throw exit.error;
  if (exit.stopped) throw signal?.reason ?? new Error(`go ${args.slice(0, 2).join(" ")} was stopped`);
  if (exit.code !== 0) {
    throw new Error(
      `go ${args.slice(0, 2).join(" ")} in ${cwd} failed (${exit.signal ?? `exit ${exit.code}`}):\n${tail.join("\n")}`,
    );
  }
}
