import { stringify } from "yaml";
import type { KubeObject } from "../../kube/resources.ts";
import { describeObject } from "../../kube/resources.ts";
import type { EventsOperation, GetOperation, PodLogsOperation } from "../../model/index.ts";
import { templateString } from "../../template/template.ts";
import { apiErrorMessage, operationBindings } from "../common.ts";
import type { OperationContext, OperationOutcome } from "../types.ts";

/**
 * The inspection operations Chainsaw runs through kubectl (get, describe, events, podLogs), done
 * through the API. They print into the operation's output, shown in reports and diagnostics; they
 * fail only when the API call fails.
 */
export async function runInspect(
  operation: GetOperation | EventsOperation | PodLogsOperation,
  context: OperationContext,
): Promise<OperationOutcome> {
  const bindings = operationBindings(context, operation.bindings);
  const t = (value: string | undefined): string | undefined =>
    value === undefined || !operation.template ? value : templateString(value, bindings);
  try {
    switch (operation.type) {
      case "get":
      case "describe": {
        const ref = operation.ref;
        const info = await context.resources.info(t(ref.apiVersion)!, t(ref.kind)!);
        const namespace = info.namespaced ? (t(ref.namespace) ?? context.namespace) : undefined;
        const { items } = await context.resources.list({
          apiVersion: t(ref.apiVersion)!,
          kind: t(ref.kind)!,
          name: t(ref.name),
          namespace,
          labelSelector: t(ref.selector),
        });
        let text = render(items, operation.format);
        if (operation.type === "describe" && operation.showEvents !== false) {
          for (const item of items)
            text += `\nEvents for ${describeObject(item)}:\n${formatEvents(await listEvents(context, item.metadata.namespace, `involvedObject.name=${item.metadata.name}`))}`;
        }
        return { status: "passed", output: { stdout: text }, involved: items };
      }
      case "events": {
        const namespace = t(operation.namespace) ?? context.namespace;
        const fieldSelector = operation.name ? `involvedObject.name=${t(operation.name)}` : undefined;
        const list = await listEvents(context, namespace, fieldSelector, t(operation.selector));
        return {
          status: "passed",
          output: { stdout: operation.format ? render(list, operation.format) : formatEvents(list) },
        };
      }
      case "podLogs": {
        const namespace = t(operation.namespace) ?? context.namespace;
        const { items } = await context.resources.list({
          apiVersion: "v1",
          kind: "Pod",
          name: t(operation.name),
          namespace,
          labelSelector: t(operation.selector),
        });
        const sections: string[] = [];
        for (const pod of items) {
          const containers = operation.container ? [t(operation.container)!] : podContainers(pod);
          for (const container of containers) {
            const logs = await context.client.requestText(
              "GET",
              `/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/log`,
              {
                query: { container, tailLines: operation.tail },
              },
            );
            sections.push(`== ${namespace}/${pod.metadata.name} [${container}]\n${logs}`);
          }
        }
        return { status: "passed", output: { stdout: sections.join("\n") }, involved: items };
      }
    }
  } catch (error) {
    return { status: "failed", error: { message: apiErrorMessage(error), location: operation.location } };
  }
}

function render(items: unknown[], format: "json" | "yaml" | undefined): string {
  if (format === "json") return `${JSON.stringify(items.length === 1 ? items[0] : items, null, 2)}\n`;
  return items.map((item) => `---\n${stringify(item)}`).join("");
}

export function podContainers(pod: KubeObject): string[] {
  const spec = pod.spec as { containers?: { name: string }[] } | undefined;
  return (spec?.containers ?? []).map((c) => c.name);
}

/** The events of a namespace (all namespaces when undefined), oldest first. */
export async function listEvents(
  context: OperationContext,
  namespace: string | undefined,
  fieldSelector?: string,
  labelSelector?: string,
): Promise<KubeObject[]> {
  const { items } = await context.resources.list({
    apiVersion: "v1",
    kind: "Event",
    namespace,
    fieldSelector,
    labelSelector,
  });
  // eventTime has microseconds and lastTimestamp whole seconds: compare instants, not text.
  return items.sort((a, b) => Date.parse(eventTime(a)) - Date.parse(eventTime(b)));
}

function eventTime(event: KubeObject): string {
  const e = event as { lastTimestamp?: string; eventTime?: string; metadata: { creationTimestamp?: string } };
  return e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? "";
}

/** Events as kubectl prints them: time, type, reason, object, message. */
export function formatEvents(list: KubeObject[]): string {
  if (list.length === 0) return "(no events)\n";
  return list
    .map((event) => {
      const e = event as {
        type?: string;
        reason?: string;
        message?: string;
        involvedObject?: { kind?: string; name?: string };
      };
      return `${eventTime(event)}  ${e.type ?? ""}  ${e.reason ?? ""}  ${e.involvedObject?.kind ?? ""}/${e.involvedObject?.name ?? ""}  ${e.message ?? ""}`;
    })
    .join("\n")
    .concat("\n");
}
