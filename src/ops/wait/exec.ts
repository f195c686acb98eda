import type { KubeObject } from "../../kube/resources.ts";
import { describeObject } from "../../kube/resources.ts";
import type { WaitOperation } from "../../model/index.ts";
import { templateString } from "../../template/template.ts";
import { operationBindings } from "../common.ts";
import { jsonPathText, jsonPathValue } from "../jsonpath.ts";
import { observe } from "../../kube/observe.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";
import { formatDuration } from "../../source/duration.ts";

/**
 * kubectl wait, natively and watch-driven: every referenced object has the condition (status
 * `value`, default True), has the JSONPath value, exists (creation), or is gone. Objects that do not exist yet are waited
 * for (kubectl fails at once), except for deletion, where absence is the goal.
 */
export async function runWait(
  operation: WaitOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const t = (value: string | undefined): string | undefined =>
    value === undefined || !operation.template ? value : templateString(value, bindings);
  const ref = operation.ref;
  const info = await context.resources.info(t(ref.apiVersion)!, t(ref.kind)!).catch(() => undefined);
  const query = {
    apiVersion: t(ref.apiVersion)!,
    kind: t(ref.kind)!,
    name: t(ref.name),
    namespace: info && !info.namespaced ? undefined : (t(ref.namespace) ?? context.namespace),
    labelSelector: t(ref.selector),
  };
  const want = operation.for;
  let last: KubeObject[] = [];
  let evaluations = 0;
  const done = await observe(context.resources, query, context.signal, (objects) => {
    evaluations += 1;
    last = objects;
    if ("deletion" in want) return objects.length === 0;
    return objects.length > 0 && objects.every((object) => unmet(object, want) === undefined);
  });
  if (done) return { status: "passed", evaluations, involved: last };
  const subject = `${query.kind} ${query.namespace ? `${query.namespace}/` : ""}${query.name ?? `(selector ${query.labelSelector ?? "all"})`}`;
  const reason =
    "deletion" in want
      ? `still present: ${last.map(describeObject).join(", ")}`
      : last.length === 0
        ? "not found"
        : last.map((object) => `${describeObject(object)}: ${unmet(object, want) ?? "ok"}`).join("; ");
  return {
    status: "failed",
    evaluations,
    involved: last,
    error: {
      message: `wait for ${describeWant(want)} on ${subject} timed out after ${formatDuration(context.timeoutMs)}: ${reason}`,
      location: operation.location,
      subject,
    },
  };
}

function unmet(object: KubeObject, want: WaitOperation["for"]): string | undefined {
  if ("condition" in want) {
    const expected = (want.condition.value ?? "True").toLowerCase();
    const conditions =
      (object.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
    const found = conditions.find((c) => c.type.toLowerCase() === want.condition.name.toLowerCase());
    if (found?.status.toLowerCase() === expected) return undefined;
    return found ? `condition ${found.type} is ${found.status}` : `no condition ${want.condition.name}`;
  }
  if ("creation" in want) return undefined;
  if ("jsonPath" in want) {
    const actual = jsonPathValue(object, want.jsonPath.path);
    if (
      want.jsonPath.value === undefined ? actual !== undefined : jsonPathText(actual) === want.jsonPath.value
    )
      return undefined;
    return `${want.jsonPath.path} is ${actual === undefined ? "absent" : JSON.stringify(actual)}`;
  }
  return "exists";
}

function describeWant(want: WaitOperation["for"]): string {
  if ("condition" in want) return `condition ${want.condition.name}=${want.condition.value ?? "True"}`;
  if ("jsonPath" in want)
    return `jsonpath ${want.jsonPath.path}${want.jsonPath.value === undefined ? "" : `=${want.jsonPath.value}`}`;
  return "creation" in want ? "creation" : "deletion";
}
