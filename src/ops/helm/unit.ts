import * as z from "zod";
import { withExpected } from "../../source/schema-kit.ts";
import { defined } from "../convert-parts.ts";
import { common, withBindings, withOutputs } from "../schema-parts.ts";
import { defineUnit } from "../unit.ts";
import { runHelm } from "./exec.ts";

/** helm: installs or upgrades a chart (`helm upgrade --install`); kubeproof's dialect only. */

const schema = z.strictObject({
  ...common,
  ...withBindings,
  ...withOutputs,
  release: withExpected(
    z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
        error: (iss) =>
          `invalid release name ${JSON.stringify(iss.input)}: use lowercase letters, digits and '-' (helm's rule)`,
      })
      .max(53),
    "a release name: lowercase letters, digits and '-', at most 53 characters",
  ).describe("The release name (helm's NAME)."),
  chart: z
    .string()
    .min(1)
    .describe("A chart directory or packaged .tgz, relative to the test file (as helm's CHART)."),
  namespace: z.string().min(1).optional().describe("The release's namespace (default: the test's)."),
  values: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Inline values, applied after valuesFiles (they win), as a values file would be."),
  valuesFiles: z
    .array(z.string().min(1))
    .optional()
    .describe("Values files relative to the test file, in order (helm's -f)."),
  wait: z
    .boolean()
    .optional()
    .describe("helm's --wait: pass only once the release's resources are ready (default true)."),
  skipCrds: z.boolean().optional().describe("helm's --skip-crds: do not install the chart's crds/."),
});

/**
 * helm's own `--timeout` default: a chart with a Deployment waits for its pods, which Chainsaw's
 * exec or apply classes (seconds) would cut short. The operation's `timeout` replaces it.
 */
export const HELM_DEFAULT_TIMEOUT_MS = 5 * 60_000;

export const helmUnit = defineUnit({
  type: "helm",
  dialects: ["kubeproof"],
  inCatch: false,
  schema: () => schema,
  convert: (v, cc) => ({
    ...cc.base(v),
    type: "helm",
    release: v.release,
    chart: v.chart,
    valuesFiles: v.valuesFiles ?? [],
    wait: v.wait ?? true,
    skipCrds: v.skipCrds ?? false,
    ...defined({ namespace: v.namespace, values: v.values }),
  }),
  timeout: { derived: (operation) => operation.timeoutMs ?? HELM_DEFAULT_TIMEOUT_MS },
  exec: runHelm,
});
