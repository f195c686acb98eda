import * as z from "zod";
import { defined, objectRef } from "../convert-parts.ts";
import {
  atMostOne,
  clusterFields,
  common,
  format,
  objectName,
  objectType,
  selector,
} from "../schema-parts.ts";
import type { EventsOperation, PodLogsOperation, SourceLocation } from "../../model/index.ts";
import { defineUnit, plainBase, withFormats } from "../unit.ts";
import { runInspect } from "./exec.ts";

/** The collectors Chainsaw runs through kubectl (get, describe, events, podLogs), read through the API. */

const describeSchema = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...objectType,
    ...objectName,
    ...selector,
    showEvents: z.boolean().optional().describe("Include related events."),
  })
  .superRefine(atMostOne(["name", "selector"], "describe"));

const getSchema = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...objectType,
    ...objectName,
    ...selector,
    format: format.optional(),
  })
  .superRefine(atMostOne(["name", "selector"], "get"));

const eventsSchema = z
  .strictObject({ ...common, ...clusterFields, ...objectName, ...selector, format: format.optional() })
  .superRefine(atMostOne(["name", "selector"], "events"));

const podLogsSchema = z
  .strictObject({
    ...common,
    ...clusterFields,
    ...objectName,
    ...selector,
    container: z.string().optional().describe("Container name (default: all containers)."),
    tail: z
      .number()
      .int()
      .optional()
      .describe("Last lines to collect (default 10 with a selector, all by name)."),
  })
  .superRefine(atMostOne(["name", "selector"], "podLogs"));

export const getUnit = defineUnit({
  type: "get",
  inCatch: true,
  schema: () => getSchema,
  convert: (v, cc) => ({ ...cc.base(v), type: "get", ref: objectRef(v), ...defined({ format: v.format }) }),
  timeout: { configured: "exec" },
  exec: runInspect,
});

export const describeUnit = defineUnit({
  type: "describe",
  inCatch: true,
  schema: () => describeSchema,
  convert: (v, cc) => ({
    ...cc.base(v),
    type: "describe",
    ref: objectRef(v),
    ...defined({ showEvents: v.showEvents }),
  }),
  timeout: { configured: "exec" },
  exec: runInspect,
});

export const eventsUnit = withFormats(
  defineUnit({
    type: "events",
    inCatch: true,
    schema: () => eventsSchema,
    convert: (v, cc) => ({
      ...cc.base(v),
      type: "events",
      ...defined({ name: v.name, namespace: v.namespace, selector: v.selector, format: v.format }),
    }),
    timeout: { configured: "exec" },
    exec: runInspect,
  }),
  { kuttl: { collector: eventsCollector } },
);

export const podLogsUnit = withFormats(
  defineUnit({
    type: "podLogs",
    inCatch: true,
    schema: () => podLogsSchema,
    convert: (v, cc) => ({
      ...cc.base(v),
      type: "podLogs",
      ...defined({
        name: v.name,
        namespace: v.namespace,
        selector: v.selector,
        container: v.container,
        tail: v.tail,
      }),
    }),
    timeout: { configured: "exec" },
    exec: runInspect,
  }),
  { kuttl: { collector: podLogsCollector } },
);

/** A kuttl TestAssert collector (run when the step fails), as kuttl-schema validated it. */
export interface KuttlCollector {
  pod?: string | undefined;
  namespace?: string | undefined;
  selector?: string | undefined;
  container?: string | undefined;
  tail?: number | undefined;
}

/** `type: events`: the namespace's events, or the named pod's. */
function eventsCollector(c: KuttlCollector, location: SourceLocation, timeoutMs: number): EventsOperation {
  return {
    ...plainBase(location, timeoutMs),
    type: "events",
    ...defined({ name: c.pod, namespace: c.namespace }),
  };
}

/** `type: pod`: logs, with kubectl's default kuttl documents: the last 10 lines with a selector, all by name. */
function podLogsCollector(c: KuttlCollector, location: SourceLocation, timeoutMs: number): PodLogsOperation {
  const tail = c.tail !== undefined && c.tail > 0 ? c.tail : c.pod === undefined ? 10 : undefined;
  return {
    ...plainBase(location, timeoutMs),
    type: "podLogs",
    ...defined({ name: c.pod, namespace: c.namespace, selector: c.selector, container: c.container, tail }),
  };
}
