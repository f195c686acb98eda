import { resolve } from "node:path";
import { isPlainObject, mergeMaps } from "../template/template.ts";
import type {
  Binding,
  ClusterDefinition,
  ClusterSelection,
  EnvVar,
  Expectation,
  ExpressionLanguage,
  ObjectRef,
  SourceDocument,
} from "../model/index.ts";

/** Conversion helpers shared by the units: parsed (schema output) values → model values. */

type ParsedBinding = { name: string; value?: unknown; compiler?: ExpressionLanguage | undefined };

export function bindings(list: readonly ParsedBinding[] | undefined): Binding[] {
  return (list ?? []).map((b) => ({ name: b.name, value: b.value, ...defined({ compiler: b.compiler }) }));
}

export function outputs(list: readonly (ParsedBinding & { match?: unknown })[] | undefined): Binding[] {
  return (list ?? []).map((o) => ({
    name: o.name,
    value: o.value,
    ...(o.match === undefined ? {} : { match: o.match }),
    ...defined({ compiler: o.compiler }),
  }));
}

export function expectations(
  list: readonly { match?: unknown; check?: unknown }[] | undefined,
): Expectation[] {
  return (list ?? []).map((e) => ({ ...(e.match === undefined ? {} : { match: e.match }), check: e.check }));
}

export function envVars(
  list: readonly { name: string; value: string | number | boolean }[] | undefined,
): EnvVar[] {
  return (list ?? []).map((e) => ({ name: e.name, value: String(e.value) }));
}

export function objectRef(v: {
  apiVersion: string;
  kind: string;
  name?: string | undefined;
  namespace?: string | undefined;
  selector?: string | undefined;
}): ObjectRef {
  return {
    apiVersion: v.apiVersion,
    kind: v.kind,
    ...defined({ name: v.name, namespace: v.namespace, selector: v.selector }),
  };
}

/** A label map as the selector string the model uses (`a=1,b=2`). */
export function labelSelector(labels: Record<string, string> | undefined): string | undefined {
  if (labels === undefined) return undefined;
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return parts.length === 0 ? undefined : parts.join(",");
}

/** `script "kubectl get cm x"`: how failures name a process, by the first line of what was written. */
export function processLabel(kind: string, written: string): string {
  const first = written.trim().split("\n")[0] ?? "";
  return `${kind} "${first.length > 60 ? `${first.slice(0, 57)}...` : first}"`;
}

/** Drops undefined fields: the model uses absent optional fields, not `undefined` values. */
export function defined<T extends Record<string, unknown>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/**
 * Chainsaw's `clusters`, with each kubeconfig made absolute from `baseDir` (the test's folder, or the
 * working directory for a configuration), so that the run does not depend on where it was loaded.
 */
export function clusterDefinitions(
  clusters: Readonly<Record<string, { kubeconfig: string; context?: string | undefined }>> | undefined,
  baseDir: string,
): Record<string, ClusterDefinition> | undefined {
  if (clusters === undefined) return undefined;
  const out: Record<string, ClusterDefinition> = {};
  for (const [name, c] of Object.entries(clusters)) {
    out[name] = { kubeconfig: resolve(baseDir, c.kubeconfig), ...defined({ context: c.context }) };
  }
  return out;
}

/** A test's, step's or operation's `cluster` and `clusters`, as the model holds them. */
export function clusterSelection(
  fields: {
    cluster?: string | undefined;
    clusters?: Readonly<Record<string, { kubeconfig: string; context?: string | undefined }>> | undefined;
  },
  baseDir: string,
): ClusterSelection {
  return defined({ cluster: fields.cluster, clusters: clusterDefinitions(fields.clusters, baseDir) });
}

type Modifier = {
  label?: Record<string, string> | undefined;
  annotate?: Record<string, string> | undefined;
  merge?: Record<string, unknown> | undefined;
};

/** Chainsaw's modifiers applied to an object, in order: labels, annotations, merged partial objects. */
export function applyModifiers(value: unknown, list: readonly Modifier[] | undefined): unknown {
  if (list === undefined || list.length === 0 || !isPlainObject(value)) return value;
  return list.reduce<Record<string, unknown>>((object, modifier) => {
    if (modifier.merge !== undefined) return mergeMaps(object, modifier.merge);
    const metadata = isPlainObject(object.metadata) ? object.metadata : {};
    const [key, added] =
      modifier.label !== undefined ? ["labels", modifier.label] : ["annotations", modifier.annotate];
    const existing = isPlainObject(metadata[key]) ? metadata[key] : {};
    return { ...object, metadata: { ...metadata, [key]: { ...existing, ...added } } };
  }, value);
}

/** `doc` with its value modified; positions stay those of the document as written. */
export function modifiedDocument(doc: SourceDocument, list: readonly Modifier[] | undefined): SourceDocument {
  if (list === undefined || list.length === 0) return doc;
  return {
    value: applyModifiers(doc.value, list),
    location: doc.location,
    locate: (path) => doc.locate(path),
  };
}
