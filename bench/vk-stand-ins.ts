/**
 * Stand-ins for the images upstream vk-test-set's templates name, built offline from this machine's
 * programs (src/cluster/providers/real/host-image.ts) and loaded on the real node under those exact
 * names, so its registry mirror serves them to `imagePullPolicy: Always`. Each stand-in holds the
 * programs the templates really run, so their containers really run; what a stand-in lacks (apk,
 * pip, a network beyond the node) fails there as the real image would on a machine without one.
 * docs/vk-test-set.md lists them; `npm run bench:vk -- <checkout> --parity --upstream` uses them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runSystemCommand } from "../src/cluster/command.ts";
import { gitImageRecipe } from "../src/cluster/providers/real/git-image.ts";
import type { HostImageRecipe } from "../src/cluster/providers/real/host-image.ts";
import { normalizeReference } from "../src/cluster/providers/real/agent/registry.ts";

export interface StandIn {
  recipe: HostImageRecipe;
  /** What the stand-in is, for the docs' table. */
  what: string;
}

/** Not built: what the templates need from these images is not on this machine (or any offline one). */
export const UNAVAILABLE: Record<string, string> = {
  "docker.io/landerlini/vktestset-rclone-bind:latest":
    "sshd run as a service, useradd, rclone mounting over SFTP into a privileged container with Bidirectional mount propagation",
  "ghcr.io/grycap/faas-supervisor-kit:1.5.8":
    "OSCAR's FaaS supervisor binary (/supervisor-folder/supervisor)",
};

/** Debian's python3 and its standard library, less what no template imports. */
const PYTHON_SKIP =
  /^(?:test|idlelib|tkinter|turtledemo|ensurepip|lib2to3|pydoc_data|config-[^/]*)$|__pycache__/;

async function pythonRecipe(): Promise<StandIn> {
  const version = /Python (\d+\.\d+)/.exec(
    (await runSystemCommand("/usr/bin/python3", ["--version"])).stdout,
  );
  if (!version) throw new Error("no /usr/bin/python3 (apt-get install python3)");
  const v = version[1];
  return {
    what: `busybox + Debian's python${v} (/usr/bin/python${v}, /usr/lib/python${v} without tests, tkinter, ensurepip; no pip) and its libraries`,
    recipe: {
      refs: ["python:alpine", `python:${v}-alpine`].map(normalizeReference),
      files: [[`usr/bin/python${v}`, `/usr/bin/python${v}`]],
      trees: [{ path: `usr/lib/python${v}`, host: `/usr/lib/python${v}`, skip: (r) => PYTHON_SKIP.test(r) }],
      links: [
        ["usr/bin/python3", `python${v}`],
        ["usr/bin/python", `python${v}`],
      ],
      cmd: ["python3"],
    },
  };
}

/** nginx: the one on PATH, /usr/sbin/nginx, or $VK_NGINX (`apt-get download nginx && dpkg -x`). */
function nginxBinary(): string | undefined {
  return [process.env.VK_NGINX, "/usr/sbin/nginx", "/usr/bin/nginx"].find(
    (p): p is string => p !== undefined && p !== "" && existsSync(p),
  );
}

/** Every stand-in this machine can build; `missing` says which could not be and why. */
export async function standIns(): Promise<{ images: StandIn[]; missing: Record<string, string> }> {
  const busybox = (refs: string[], what: string): StandIn => ({
    what,
    recipe: { refs: refs.map(normalizeReference), cmd: ["sh"] },
  });
  const images: StandIn[] = [
    busybox(["busybox:latest", "busybox:1.36"], "the built-in busybox image (Debian's busybox-static)"),
    busybox(["alpine:3.19", "alpine:3"], "busybox (alpine's userland is busybox; no apk)"),
    {
      what: "busybox + this machine's bash (the templates run /bin/bash -c; no cowsay)",
      recipe: {
        refs: [normalizeReference("ghcr.io/grycap/cowsay")],
        files: [["bin/bash", "/usr/bin/bash"]],
        cmd: ["sh"],
      },
    },
    await pythonRecipe(),
    {
      what: "the git image (`cluster load --git-image`): busybox + this machine's git and its http transport",
      recipe: await gitImageRecipe([normalizeReference("bitnamilegacy/git")]),
    },
  ];
  const missing = { ...UNAVAILABLE };
  const nginx = nginxBinary();
  if (nginx)
    images.push({
      what: "busybox + Debian's nginx binary (`apt-get download nginx`)",
      recipe: {
        refs: [normalizeReference("nginx:alpine")],
        files: [["usr/sbin/nginx", nginx]],
        cmd: ["nginx", "-g", "daemon off;"],
      },
    });
  else missing[normalizeReference("nginx:alpine")] = "no nginx binary here: set VK_NGINX";
  return { images, missing };
}

/** The images a templates directory names (`image:` lines), normalised as the kubelet pulls them. */
export function imagesNamed(templatesDir: string): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(templatesDir).filter((f) => f.endsWith(".yaml")))
    for (const m of readFileSync(join(templatesDir, file), "utf8").matchAll(/^\s*-?\s*image:\s*(\S+)/gm))
      names.add(normalizeReference(m[1]));
  return [...names].sort();
}
