import * as z from "zod";
import type { KubeObject, ObjectQuery } from "../kube/resources.ts";
import type { OperationBase } from "../model/index.ts";
import { templateString } from "../template/template.ts";
import { operationBindings } from "./common.ts";
import { objectName, selector } from "./schema-parts.ts";
import type { OperationContext } from "./types.ts";

/** How the pod assertions (assertPodPhase, assertLogs) name their pods: a name, a prefix or a selector. */
export const podSelection = {
  ...objectName,
  namePrefix: z
    .string()
    .min(1)
    .optional()
    .describe("Every pod whose name starts with this, e.g. the pods of Job my-job: my-job-."),
  ...selector,
};

interface PodSelection extends OperationBase {
  name?: string;
  namePrefix?: string;
  namespace?: string;
  selector?: string;
}

export interface SelectedPods {
  namespace: string;
  query: ObjectQuery;
  /** The pods of `objects` the operation means (a name prefix filters what the query lists). */
  filter: (objects: readonly KubeObject[]) => KubeObject[];
  /** `pod ns/name`, `pod ns/prefix*`, `pod ns/(selector app=a)` for messages. */
  subject: string;
  /** The operation's strings templated with its bindings (when templating is on). */
  t: (value: string | undefined) => string | undefined;
}

export function selectPods(operation: PodSelection, context: OperationContext): SelectedPods {
  const bindings = operationBindings(context, operation.bindings);
  const t = (value: string | undefined): string | undefined =>
    value === undefined || !operation.template ? value : templateString(value, bindings);
  const namespace = t(operation.namespace) ?? context.namespace;
  const name = t(operation.name);
  const prefix = t(operation.namePrefix);
  const labelSelector = t(operation.selector);
  const query = { apiVersion: "v1", kind: "Pod", namespace, name, labelSelector };
  const who = name ?? (prefix === undefined ? `(selector ${labelSelector ?? "all"})` : `${prefix}*`);
  return {
    namespace,
    query,
    filter: (objects) =>
      prefix === undefined ? [...objects] : objects.filter((pod) => pod.metadata.name?.startsWith(prefix)),
    subject: `pod ${namespace}/${who}`,
    t,
  };
}
