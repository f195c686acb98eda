import { readdirSync } from "node:fs";
import { extname, join } from "node:path";
import type { SourceDocument } from "../model/index.ts";
import { isDirectory } from "./files.ts";

/**
 * The files a suite set-up installs (kuttl's crdDir and manifestDirs, kubeproof.yaml's setup), read at
 * load time so that a broken manifest stops the run before anything is applied (exit 2).
 */

/** kuttl's InstallManifests reads these extensions (`.json` is YAML too). */
const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/**
 * The manifest files of `path` in kuttl's order (Go's filepath.Walk): a file is itself; a directory
 * gives its files and those of its subdirectories, entries sorted by name, each subdirectory in place.
 */
export function manifestFiles(path: string): string[] {
  if (!isDirectory(path)) return [path];
  return sortedEntries(path).flatMap((name) => {
    const child = join(path, name);
    if (isDirectory(child)) return manifestFiles(child);
    return MANIFEST_EXTENSIONS.has(extname(name)) ? [child] : [];
  });
}

/** Directory entries in Go's byte order (os.ReadDir), not the locale's. */
function sortedEntries(dir: string): string[] {
  try {
    return readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch {
    return [];
  }
}

/** The CRD kinds kuttl installs from crdDir (apiextensions.k8s.io v1 and v1beta1). */
export function isCrd(doc: SourceDocument): boolean {
  const value = doc.value as { apiVersion?: unknown; kind?: unknown } | null;
  return (
    value !== null &&
    typeof value === "object" &&
    value.kind === "CustomResourceDefinition" &&
    (value.apiVersion === "apiextensions.k8s.io/v1" || value.apiVersion === "apiextensions.k8s.io/v1beta1")
  );
}

/** `Kind name` of a manifest, for messages. */
export function describeManifest(doc: SourceDocument): string {
  const value = doc.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
  const kind = typeof value?.kind === "string" ? value.kind : "object";
  const name = typeof value?.metadata?.name === "string" ? ` ${value.metadata.name}` : "";
  return `${kind}${name}`;
}
