import * as z from "zod";
import { LOG_OPERATORS } from "../ops/assert-logs/unit.ts";
import { POD_PHASES } from "../ops/pod-phase/unit.ts";
import { issueParams } from "../source/schema-kit.ts";

/**
 * vk-test-set's two pydantic models as zod schemas (every object refuses unknown fields, as
 * `extra='forbid'` does): `vktest_config.yaml` (ConfigManager) and a template's validation section
 * (ValidationProcedure with CheckPod, CheckLogs, CleanConfig).
 */

/** The keys upstream's `values: Dict[TemplateKey, Any]` accepts. */
export const UPSTREAM_VALUE_KEYS = ["annotations", "namespace", "tolerations"] as const;

export function vkConfigSchema(fixes: boolean) {
  return z.strictObject({
    target_nodes: z.array(z.string()).default([]).describe("Kubernetes node names."),
    required_namespaces: z.array(z.string()).default([]).describe("Namespaces that must exist."),
    timeout_multiplier: z.number().positive().default(1).describe("Scales every timeout_seconds."),
    values: z
      .record(z.string(), z.unknown())
      .superRefine((values, ctx) => {
        if (fixes) return;
        for (const key of Object.keys(values)) {
          if ((UPSTREAM_VALUE_KEYS as readonly string[]).includes(key)) continue;
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `upstream vk-test-set accepts only ${UPSTREAM_VALUE_KEYS.join(", ")} in values, not ${JSON.stringify(key)}`,
            params: issueParams({
              expected: `one of ${UPSTREAM_VALUE_KEYS.join(", ")}`,
              hint: "remove it, or run with --vk-test-set-fixes to pass every key to the templates",
            }),
          });
        }
      })
      .describe("What every template is rendered with (besides target_node and uuid)."),
  });
}

export type VkConfig = z.output<ReturnType<typeof vkConfigSchema>>;

const CLEANABLE = ["pod", "namespace", "service", "config_map", "secret"] as const;
export type Cleanable = (typeof CLEANABLE)[number];

const checkPod = z.strictObject({
  name: z.string().describe("Name of the Pod."),
  namespace: z.string().describe("Namespace of the Pod."),
  status: z.enum(POD_PHASES).default("Succeeded").describe("The phase the pod must reach."),
});

const checkLogs = z.strictObject({
  name: z.string(),
  namespace: z.string(),
  regex: z.string().describe("Python regular expression applied to the log with re.findall."),
  operator: z.enum(LOG_OPERATORS).default("Exists"),
  container: z.string().nullable().optional().describe("Mandatory for multi-container pods."),
  value: z.union([z.string(), z.number().int()]).nullable().optional(),
});

const cleanConfig = z.strictObject({
  type: z.enum(CLEANABLE).describe("Kind of object to delete."),
  name: z.string(),
  namespace: z.string(),
  condition: z.enum(["always", "never", "onSuccess", "onFailure"]).default("always"),
});

export const validationSchema = z.strictObject({
  timeout_seconds: z.number().positive().optional().describe("Seconds before the test fails."),
  clean_configs: z.array(cleanConfig).default([]),
  check_pods: z.array(checkPod).default([]),
  check_logs: z.array(checkLogs).default([]),
});

export type Validation = z.output<typeof validationSchema>;

/** clean_configs' types as Kubernetes kinds (all in the core group). */
export const CLEANABLE_KINDS: Record<Cleanable, string> = {
  pod: "Pod",
  namespace: "Namespace",
  service: "Service",
  config_map: "ConfigMap",
  secret: "Secret",
};
