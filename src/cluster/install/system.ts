import { access, constants, open } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { runSystemCommand } from "../command.ts";
import type { InstallListener } from "../../model/cluster-events.ts";

/**
 * What a real node takes from the system rather than from Go modules, as Playwright's
 * `install --with-deps` does for browsers: runc (upstream's needs cgo for seccomp), iptables for
 * kube-proxy, a static busybox for the built-in shell image, and the namespace tools.
 */
export interface SystemNeed {
  /** A command on PATH, or an absolute path. */
  command: string;
  /** The Debian/Ubuntu package that provides it. */
  debianPackage: string;
  /** The binary must be statically linked (it runs inside containers with no libraries). */
  static?: boolean;
}

export const systemNeeds: readonly SystemNeed[] = [
  { command: "runc", debianPackage: "runc" },
  { command: "iptables", debianPackage: "iptables" },
  { command: "/bin/busybox", debianPackage: "busybox-static", static: true },
  { command: "ip", debianPackage: "iproute2" },
  { command: "nsenter", debianPackage: "util-linux" },
  { command: "unshare", debianPackage: "util-linux" },
];

async function findCommand(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const candidates = command.startsWith("/")
    ? [command]
    : [...(env.PATH ?? "").split(delimiter), "/usr/sbin", "/sbin"].map((dir) => join(dir, command));
  for (const candidate of candidates) {
    if (
      await access(candidate, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/** True when an ELF executable has no program interpreter (PT_INTERP), i.e. is statically linked. */
export async function isStaticElf(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const header = Buffer.alloc(64);
    await file.read(header, 0, 64, 0);
    if (header.toString("latin1", 1, 4) !== "ELF" || header[4] !== 2) return false;
    const phoff = Number(header.readBigUInt64LE(32));
    const phentsize = header.readUInt16LE(54);
    const phnum = header.readUInt16LE(56);
    const table = Buffer.alloc(phentsize * phnum);
    await file.read(table, 0, table.length, phoff);
    for (let i = 0; i < phnum; i += 1) if (table.readUInt32LE(i * phentsize) === 3) return false;
    return true;
  } finally {
    await file.close();
  }
}

/** The Debian packages whose commands are missing (or, for busybox, not the static build). */
export async function missingSystemPackages(
  env: NodeJS.ProcessEnv = process.env,
  needs: readonly SystemNeed[] = systemNeeds,
): Promise<string[]> {
  const missing = new Set<string>();
  for (const need of needs) {
    const path = await findCommand(need.command, env);
    if (!path || (need.static && !(await isStaticElf(path).catch(() => false))))
      missing.add(need.debianPackage);
  }
  return [...missing];
}

export function aptCommand(packages: readonly string[]): string {
  return `apt-get install -y --no-install-recommends ${packages.join(" ")}`;
}

/**
 * Installs the missing system packages with apt-get when running as root on a system that has it;
 * otherwise throws with the exact command to run.
 */
export async function ensureSystemPackages(options: {
  env: NodeJS.ProcessEnv;
  onEvent: InstallListener;
  install: boolean;
  needs?: readonly SystemNeed[];
}): Promise<void> {
  const missing = await missingSystemPackages(options.env, options.needs);
  if (missing.length === 0) return;
  const command = aptCommand(missing);
  const root = process.getuid?.() === 0;
  const apt = await findCommand("apt-get", options.env);
  if (!options.install || !root || !apt) {
    const why = !options.install ? "" : !apt ? " (no apt-get here: install the equivalent packages)" : "";
    throw new Error(
      `a real node needs system packages that are missing: ${missing.join(", ")}${why}\n` +
        `To fix: ${root ? "" : "sudo "}${command}`,
    );
  }
  options.onEvent({ type: "system-packages", packages: missing, command });
  const env = { ...options.env, DEBIAN_FRONTEND: "noninteractive" };
  const args = ["install", "-y", "--no-install-recommends", ...missing];
  const first = await runSystemCommand(apt, args, { env, allowFailure: true });
  if (first.code === 0) return;
  // A fresh machine may have no package lists yet.
  await runSystemCommand(apt, ["update"], { env });
  await runSystemCommand(apt, args, { env });
}
