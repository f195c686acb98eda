import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import { assetsDir } from "./paths.ts";

/** kwok's CRDs for per-pod rules (`--enable-crds=Logs,Exec,PortForward`), shipped from kwok v0.8.0. */
export const kwokCrdFiles = [
  "kwok.x-k8s.io_logs.yaml",
  "kwok.x-k8s.io_execs.yaml",
  "kwok.x-k8s.io_portforwards.yaml",
];

export async function readKwokCrds(): Promise<string[]> {
  return Promise.all(kwokCrdFiles.map((file) => readFile(join(assetsDir(), "kwok", "crds", file), "utf8")));
}

/**
 * Writes kwok's configuration into `<cluster>/kwok/`: the stages (assets/kwok/stages.yaml) and cluster-wide
 * defaults: every pod "logs" an empty file until a test gives it a `Logs` object, and exec into any pod
 * runs the command on this machine in `<cluster>/kwok/exec` (a `Exec` object per pod overrides both).
 */
export async function writeKwokConfig(kwokDir: string): Promise<string> {
  const execDir = join(kwokDir, "exec");
  const defaultLog = join(kwokDir, "default.log");
  await mkdir(execDir, { recursive: true });
  await writeFile(defaultLog, "");
  const clusterRules = [
    {
      apiVersion: "kwok.x-k8s.io/v1alpha1",
      kind: "ClusterLogs",
      metadata: { name: "default" },
      spec: { logs: [{ logsFile: defaultLog, follow: false }] },
    },
    {
      apiVersion: "kwok.x-k8s.io/v1alpha1",
      kind: "ClusterExec",
      metadata: { name: "default" },
      spec: { execs: [{ local: { workDir: execDir } }] },
    },
  ];
  const stagesFile = join(kwokDir, "stages.yaml");
  await copyFile(join(assetsDir(), "kwok", "stages.yaml"), stagesFile);
  const stages = await readFile(stagesFile, "utf8");
  const configFile = join(kwokDir, "kwok.yaml");
  await writeFile(configFile, `${stages}\n${clusterRules.map((rule) => `---\n${stringify(rule)}`).join("")}`);
  return configFile;
}

/**
 * Formats log lines as the CRI log files kwok reads (`<RFC3339Nano> stdout F <line>`), so a test can
 * write what a simulated container "logged".
 */
export function criLogLines(
  lines: readonly string[],
  stream: "stdout" | "stderr" = "stdout",
  start = new Date(),
): string {
  return lines
    .map((line, i) => `${new Date(start.getTime() + i).toISOString()} ${stream} F ${line}\n`)
    .join("");
}
