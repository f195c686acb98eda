import { gunzipSync } from "node:zlib";
import type { KubeObject } from "../../kube/resources.ts";
import type { CreatedObject } from "../types.ts";
import { manifestObjects } from "./release.ts";

/** helm's type of the Secrets that hold its release records (the default storage, HELM_DRIVER=secret). */
export const releaseRecordType = "helm.sh/release.v1";

/** What `kubeproof clean` needs of a release record: the release and the objects it lists. */
export interface RecordedRelease {
  name: string;
  namespace: string;
  objects: CreatedObject[];
}

/**
 * The objects a helm release record lists (its manifest and its hooks), namespaced objects without
 * a namespace in the release's; undefined for an object that is not a release record. helm writes the
 * record before it creates anything, so a run killed during `helm upgrade --install` has one listing
 * everything the release may have created. Secrets (`type: helm.sh/release.v1`) and ConfigMaps
 * (`owner: helm`, HELM_DRIVER=configmap) hold the release as base64 of gzipped JSON.
 */
export function recordedRelease(record: KubeObject): RecordedRelease | undefined {
  const data = (record as { data?: Record<string, string> }).data?.release;
  if (typeof data !== "string") return undefined;
  let encoded: string;
  if (record.kind === "Secret" && (record as { type?: string }).type === releaseRecordType)
    // A Secret's data is base64 again in the API.
    encoded = Buffer.from(data, "base64").toString("utf8");
  else if (record.kind === "ConfigMap" && record.metadata.labels?.owner === "helm") encoded = data;
  else return undefined;
  const bytes = Buffer.from(encoded, "base64");
  const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const release = JSON.parse((gzipped ? gunzipSync(bytes) : bytes).toString("utf8")) as {
    name?: string;
    namespace?: string;
    manifest?: string;
    hooks?: { manifest?: string }[];
  };
  const namespace = release.namespace ?? record.metadata.namespace ?? "";
  const manifests = [release.manifest ?? "", ...(release.hooks ?? []).map((hook) => hook.manifest ?? "")];
  return {
    name: release.name ?? record.metadata.labels?.name ?? "",
    namespace,
    objects: manifests.flatMap(manifestObjects).map((object) => ({
      ...object,
      namespace: object.namespace ?? namespace,
    })),
  };
}
