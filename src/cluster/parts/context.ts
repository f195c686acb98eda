import { writeFile } from "node:fs/promises";
import type { KubeClient } from "../../kube/client.ts";
import { ClusterStartError } from "../errors.ts";
import type { BinaryPaths } from "../install/index.ts";
import { kubeconfigYaml } from "../kubeconfig-file.ts";
import type { CertificateAuthority } from "../pki.ts";
import { spawnComponent } from "../processes.ts";
import type { PartRecord } from "../state.ts";
import { waitFor } from "../wait.ts";
import { kubeconfigFile, pkiFile } from "./files.ts";
import type { ClientIdentity, PrepareContext, RunContext } from "./part.ts";

export interface ClusterBasics {
  clusterName: string;
  dir: string;
  server: string;
  ports: Readonly<Record<string, number>>;
  ca: CertificateAuthority;
}

/** The set-up services every part shares: named ports, the CA, certificate and kubeconfig files. */
export async function prepareContext(basics: ClusterBasics): Promise<PrepareContext> {
  const { clusterName, dir, server, ports, ca } = basics;
  const caFiles = { cert: pkiFile(dir, "ca.crt"), key: pkiFile(dir, "ca.key") };
  await Promise.all([
    writeFile(caFiles.cert, ca.pem.cert, { mode: 0o600 }),
    writeFile(caFiles.key, ca.pem.key, { mode: 0o600 }),
  ]);
  return {
    clusterName,
    dir,
    server,
    ca: caFiles,
    port: (name) => {
      const port = ports[name];
      if (port === undefined)
        throw new ClusterStartError(`no part of the cluster asked for a port "${name}"`);
      return port;
    },
    issueCertificate: async (file, request) => {
      const pair = await ca.issue(request);
      const files = { cert: pkiFile(dir, `${file}.crt`), key: pkiFile(dir, `${file}.key`) };
      await Promise.all([
        writeFile(files.cert, pair.cert, { mode: 0o600 }),
        writeFile(files.key, pair.key, { mode: 0o600 }),
      ]);
      return files;
    },
    writeKubeconfig: async (file, identity) => {
      const path = kubeconfigFile(dir, file);
      await writeKubeconfigAt(path, identity, basics);
      return path;
    },
  };
}

/** Writes a self-contained kubeconfig (certificates inline) for a new client certificate of `identity`. */
export async function writeKubeconfigAt(
  path: string,
  identity: ClientIdentity,
  basics: Pick<ClusterBasics, "clusterName" | "server" | "ca">,
): Promise<void> {
  const client = await basics.ca.issue({ ...identity, usage: "client" });
  const yaml = kubeconfigYaml({
    name: basics.clusterName,
    server: basics.server,
    caCert: basics.ca.pem.cert,
    client,
  });
  await writeFile(path, yaml, { mode: 0o600 });
}

/** What the start shares with every part it runs. */
export interface RunScope {
  client: KubeClient;
  signal: AbortSignal;
  binaries: BinaryPaths;
  /** Persists cluster.json (queued; `flush` waits for it). */
  save: () => void;
  flush: () => Promise<void>;
  /** Fails the whole start, e.g. when a process exits. */
  fail: (reason: Error) => void;
}

/** One part's run context: its processes and resources go into its own record. */
export function runContext(base: PrepareContext, record: PartRecord, scope: RunScope): RunContext {
  return {
    ...base,
    client: scope.client,
    signal: scope.signal,
    binary: (name) => {
      const path = scope.binaries[name];
      if (path === undefined)
        throw new ClusterStartError(
          `part ${record.name} runs ${name}, which was not installed: add its component to the part's components`,
        );
      return path;
    },
    spawn: ({ name, binary, args }) => {
      // Nothing starts once the start failed: the teardown may already be under way.
      scope.signal.throwIfAborted();
      const process = spawnComponent(name, binary, args, base.dir);
      record.processes.push({ name: process.name, pid: process.pid, logFile: process.logFile });
      scope.save();
      void process.exited.then((why) => scope.fail(new ClusterStartError(`${why}; see ${process.logFile}`)));
      return process;
    },
    record: async (resources) => {
      Object.assign(record.resources, resources);
      scope.save();
      await scope.flush();
    },
    waitFor: (what, check) => waitFor(what, scope.signal, check),
  };
}
