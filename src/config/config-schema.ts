import { availableParallelism } from "node:os";
import * as z from "zod";
import type {
  ClusterDefinition,
  DeletionPropagation,
  LoadWarning,
  Operation,
  SourceDocument,
  SuiteSetup,
} from "../model/index.ts";
import { catchOperation, compiler, deletionPropagation } from "./operation-schema.ts";
import { duration, extensionOnly, issueParams, movedTo, withExpected } from "../source/schema-kit.ts";
import { CHAINSAW_API_VERSION, KUBEPROOF_API_VERSION, objectMeta, timeouts } from "./test-schema.ts";
import { clusterFields } from "../ops/schema-parts.ts";
import { errorMessage } from "../source/errors.ts";

/**
 * The run configuration. Three document shapes are accepted and normalised into one `Config`:
 * Chainsaw's flat `v1alpha1` spec, Chainsaw's grouped `v1alpha2` spec (the current default there),
 * and kubeproof's own `kubeproof.dev/v1alpha1`, which is the `v1alpha2` layout plus our extensions.
 */

export const CHAINSAW_CONFIG_V1ALPHA2 = "chainsaw.kyverno.io/v1alpha2";
export const CONFIG_API_VERSIONS = [
  KUBEPROOF_API_VERSION,
  CHAINSAW_CONFIG_V1ALPHA2,
  CHAINSAW_API_VERSION,
] as const;
export type ConfigApiVersion = (typeof CONFIG_API_VERSIONS)[number];

/** File reports kubeproof can write. Terminal output is chosen on the command line, not here. */
export const REPORT_FORMATS = ["json", "junit", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Chainsaw's report formats; every JUnit flavour maps to our JUnit writer (its level is kept). */
const CHAINSAW_REPORT_FORMATS = ["JSON", "XML", "JUNIT-TEST", "JUNIT-STEP", "JUNIT-OPERATION"] as const;
export type ChainsawReportFormat = (typeof CHAINSAW_REPORT_FORMATS)[number];

export interface Config {
  /** The file the configuration came from; absent for the built-in defaults. */
  file?: string;
  apiVersion?: ConfigApiVersion;
  /** Default timeouts per operation type, in milliseconds. */
  timeouts: { apply: number; assert: number; cleanup: number; delete: number; error: number; exec: number };
  execution: {
    /** Tests run at once. */
    parallel: number;
    failFast: boolean;
    repeatCount: number;
    forceTerminationGracePeriodMs?: number;
  };
  namespace: { name?: string; template?: SourceDocument };
  cleanup: { skipDelete: boolean; delayBeforeCleanupMs: number };
  deletion: { propagation: DeletionPropagation };
  discovery: { testFile: string; includeTestRegex?: string; excludeTestRegex?: string; fullName: boolean };
  report: {
    formats: ReportFormat[];
    path?: string;
    /** Report file name without extension. */
    name: string;
    /** Granularity of JUnit test cases (Chainsaw's JUNIT-TEST/STEP/OPERATION; XML means test). */
    junitLevel: "test" | "step" | "operation";
  };
  /** `compiler`: the language of expressions that name none, unless a test, step or operation says. */
  templating: { enabled: boolean; compiler?: "jp" | "cel" };
  /** Operations run when any step of any test fails (Chainsaw's configuration-level catch). */
  catch: Operation[];
  /** Exposed to expressions as `$values`. */
  values: Record<string, unknown>;
  /** The `setup:` section: CRDs, manifests and commands installed once before the first test. */
  setup?: SuiteSetup;
  /** The `gate:` section, validated by the gate module. */
  gate: unknown;
  /** What loading the file accepted but reports (duplicated keys). */
  warnings?: LoadWarning[];
  /** The `cluster:` section: what the embedded local cluster must have for these tests. */
  cluster: { realNodes: number };
  /** Chainsaw's `clusters`: named clusters tests select with `cluster:` (kubeconfig paths absolute). */
  clusters?: Record<string, ClusterDefinition>;
}

/**
 * Defaults. Timeouts are longer than Chainsaw's (apply 5s, assert 30s, cleanup 30s, delete 15s,
 * error 30s, exec 5s) because a fresh local cluster, CRDs being established and webhooks starting
 * routinely exceed 5 s, and a spurious timeout costs far more than a slower report of a real failure.
 * Any value set in a configuration, test, step or operation still wins. See docs/configuration.md.
 */
export const DEFAULT_TIMEOUTS: Config["timeouts"] = {
  apply: 30_000,
  assert: 60_000,
  cleanup: 60_000,
  delete: 30_000,
  error: 30_000,
  exec: 30_000,
};

export function defaultConfig(): Config {
  return {
    timeouts: { ...DEFAULT_TIMEOUTS },
    execution: { parallel: availableParallelism(), failFast: false, repeatCount: 1 },
    namespace: {},
    cleanup: { skipDelete: false, delayBeforeCleanupMs: 0 },
    deletion: { propagation: "Background" },
    discovery: { testFile: "chainsaw-test", fullName: false },
    report: { formats: [], name: "kubeproof-report", junitLevel: "test" },
    templating: { enabled: true },
    catch: [],
    values: {},
    gate: undefined,
    cluster: { realNodes: 0 },
  };
}

const regex = withExpected(
  z.string().superRefine((text, ctx) => {
    try {
      new RegExp(text);
    } catch (err) {
      // V8 says "Invalid regular expression: /(x/: Unterminated group"; keep only the reason.
      const reason = errorMessage(err).split(": ").pop() ?? "";
      ctx.addIssue({
        code: "custom",
        message: `invalid regular expression ${JSON.stringify(text)} (${reason})`,
      });
    }
  }),
  "a regular expression",
);

/** Where each flat `v1alpha1` field lives in the grouped layouts, for a precise "move it" hint. */
const FLAT_TO_GROUPED: Record<string, string> = {
  skipDelete: "cleanup.skipDelete",
  delayBeforeCleanup: "cleanup.delayBeforeCleanup",
  failFast: "execution.failFast",
  parallel: "execution.parallel",
  repeatCount: "execution.repeatCount",
  forceTerminationGracePeriod: "execution.forceTerminationGracePeriod",
  deletionPropagationPolicy: "deletion.propagation",
  reportFormat: "report.format",
  reportPath: "report.path",
  reportName: "report.name",
  namespaceTemplate: "namespace.template",
  fullName: "discovery.fullName",
  excludeTestRegex: "discovery.excludeTestRegex",
  includeTestRegex: "discovery.includeTestRegex",
  testFile: "discovery.testFile",
  template: "templating.enabled",
  catch: "error.catch",
};

function flatFields(layout: string) {
  return Object.fromEntries(
    Object.entries(FLAT_TO_GROUPED).map(([field, path]) => [field, movedTo(field, path, layout)]),
  );
}

const positiveInt = withExpected(z.number().int().min(1), "a whole number of at least 1");
/** As a Test's: Chainsaw decodes the whole ObjectMeta, and its own v1alpha2 config has `creationTimestamp: null`. */
const metadata = objectMeta;

const discovery = z.strictObject({
  testFile: z.string().min(1).optional().describe("Conventional test file name (default chainsaw-test)."),
  includeTestRegex: regex.optional().describe("Only run tests whose name matches."),
  excludeTestRegex: regex.optional().describe("Skip tests whose name matches."),
  fullName: z.boolean().optional().describe("Name tests by their full folder path."),
});
const cleanup = z.strictObject({
  skipDelete: z.boolean().optional().describe("Keep what tests created."),
  delayBeforeCleanup: duration("Wait this long after a test before cleaning up.").optional(),
});
const execution = z.strictObject({
  failFast: z.boolean().optional().describe("Stop at the first failure."),
  parallel: positiveInt.optional().describe("Tests run at once (default: number of CPUs)."),
  repeatCount: positiveInt.optional().describe("Run each test this many times."),
  forceTerminationGracePeriod: duration(
    "Force this termination grace period on pods and workloads.",
  ).optional(),
});
const templating = z.strictObject({
  enabled: z.boolean().optional().describe("Template resources with bindings (default true)."),
  compiler: compiler.optional(),
});
const deletion = z.strictObject({ propagation: deletionPropagation.optional() });
const setupPaths = (what: string) =>
  z
    .array(z.string().min(1))
    .describe(
      `${what}: files, directories (every .yaml, .yml and .json file below, by name) or globs, relative to this file.`,
    );

const { script: setupScript, command: setupCommand } = catchOperation.shape;

/** Chainsaw's `script` or `command` operation, plus `background`. */
const setupCommandEntry = z
  .strictObject({
    script: setupScript,
    command: setupCommand,
    background: z
      .boolean()
      .optional()
      .describe("Start it, go on at once, and stop it (with its process group) after the last test."),
    description: z.string().optional().describe("What this command does (shown in messages)."),
    continueOnError: z.boolean().optional().describe("A failure of this command does not fail the set-up."),
  })
  .superRefine((entry, ctx) => {
    const present = (["script", "command"] as const).filter((k) => entry[k] !== undefined);
    if (present.length === 1) {
      const action = present[0] ?? "script";
      if (entry.background !== true) return;
      // A background command is left running: nothing waits for it to end, so nothing can time it or check it.
      for (const field of ["timeout", "check"] as const) {
        if (entry[action]?.[field] === undefined) continue;
        ctx.addIssue({
          code: "custom",
          path: [action, field],
          message: `a background command has no ${field}: it runs until the last test has ended`,
          params: issueParams({ hint: `remove ${field}, or background` }),
        });
      }
      return;
    }
    ctx.addIssue({
      code: "custom",
      message:
        present.length === 0
          ? "a set-up command needs script or command"
          : "a set-up command takes script or command, not both",
      params: issueParams(
        present.length === 0
          ? { expected: "script: {content: …} or command: {entrypoint: …}" }
          : { hint: "split them into two entries" },
      ),
    });
  });

/** kubeproof's suite set-up (kuttl's TestSuite crdDir, manifestDirs and commands, for any test). */
const setup = z
  .strictObject({
    crds: setupPaths("CustomResourceDefinitions applied first and waited for until Established").optional(),
    manifests: setupPaths("Objects applied after the CRDs, in order").optional(),
    commands: z
      .array(setupCommandEntry)
      .optional()
      .describe("Run in order after the manifests, in this file's directory."),
  })
  .describe("Installed once before the first test; nothing of it is deleted at the end.");

const namespaceTemplate = z.record(z.string(), z.unknown()).describe("Namespace object to create for tests.");

/** Chainsaw `v1alpha2`: the grouped layout documented for the current Chainsaw release. */
const chainsawV1alpha2Spec = z.strictObject({
  timeouts: timeouts.optional(),
  cleanup: cleanup.optional(),
  deletion: deletion.optional(),
  discovery: discovery.optional(),
  error: z.strictObject({ catch: z.array(catchOperation).optional() }).optional(),
  execution: execution.optional(),
  namespace: z
    .strictObject({
      name: z.string().optional(),
      template: namespaceTemplate.optional(),
      compiler: compiler.optional(),
    })
    .optional(),
  report: z
    .strictObject({
      format: z.enum(CHAINSAW_REPORT_FORMATS).optional(),
      path: z.string().optional(),
      name: z.string().optional(),
    })
    .optional(),
  templating: templating.optional(),
  clusters: clusterFields.clusters,
  setup: extensionOnly("setup"),
  cluster: extensionOnly("cluster"),
  ...flatFields(CHAINSAW_CONFIG_V1ALPHA2),
});

/** Chainsaw `v1alpha1`: the older flat layout, still accepted by Chainsaw. */
const chainsawV1alpha1Spec = z.strictObject({
  timeouts: timeouts.optional(),
  skipDelete: z.boolean().optional(),
  template: z.boolean().optional(),
  compiler: compiler.optional(),
  failFast: z.boolean().optional(),
  parallel: positiveInt.optional(),
  deletionPropagationPolicy: deletionPropagation.optional(),
  reportFormat: z.enum(CHAINSAW_REPORT_FORMATS).optional(),
  reportPath: z.string().optional(),
  reportName: z.string().optional(),
  namespace: z.string().optional(),
  namespaceTemplate: namespaceTemplate.optional(),
  namespaceTemplateCompiler: compiler.optional(),
  fullName: z.boolean().optional(),
  excludeTestRegex: regex.optional(),
  includeTestRegex: regex.optional(),
  repeatCount: positiveInt.optional(),
  testFile: z.string().min(1).optional(),
  forceTerminationGracePeriod: duration("Force this termination grace period.").optional(),
  delayBeforeCleanup: duration("Wait this long after a test before cleaning up.").optional(),
  catch: z.array(catchOperation).optional(),
  clusters: clusterFields.clusters,
  setup: extensionOnly("setup"),
  cluster: extensionOnly("cluster"),
});

const reportFormat = z.enum(REPORT_FORMATS);

/** kubeproof's own configuration: Chainsaw's grouped layout, lowercase report formats, values and gate. */
const kubeproofSpec = z.strictObject({
  timeouts: timeouts.optional(),
  clusters: clusterFields.clusters,
  execution: execution.optional(),
  namespace: z
    .strictObject({ name: z.string().optional(), template: namespaceTemplate.optional() })
    .optional(),
  cleanup: cleanup.optional(),
  deletion: deletion.optional(),
  discovery: discovery.optional(),
  report: z
    .strictObject({
      format: withExpected(
        z.union([reportFormat, z.array(reportFormat)]),
        `${REPORT_FORMATS.join(", ")} (one or a list)`,
      )
        .optional()
        .describe("Report formats to write: json (CTRF), junit, html; one or a list."),
      path: z.string().optional().describe("Directory for report files."),
      name: z.string().optional().describe("Report file name without extension (default kubeproof-report)."),
      junitLevel: z.enum(["test", "step", "operation"]).optional().describe("One JUnit test case per …"),
    })
    .optional(),
  templating: z.strictObject({ enabled: z.boolean().optional(), compiler: compiler.optional() }).optional(),
  error: z.strictObject({ catch: z.array(catchOperation).optional() }).optional(),
  values: z.record(z.string(), z.unknown()).optional().describe("Available to expressions as $values."),
  setup: setup.optional(),
  gate: z.unknown().optional().describe("Gate configuration (tiers, checks)."),
  cluster: z
    .strictObject({
      realNodes: withExpected(z.number().int().min(0).max(4), "0 to 4")
        .optional()
        .describe(
          "Real nodes the embedded local cluster starts beside its kwok nodes (root on Linux): pods then run for real.",
        ),
    })
    .optional()
    .describe("What the embedded local cluster must have (ignored for a cluster given by kubeconfig)."),
  ...flatFields(KUBEPROOF_API_VERSION),
});

function configDocument<A extends string, S extends z.ZodType>(apiVersion: A, spec: S) {
  return z.strictObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal("Configuration"),
    metadata: metadata.optional(),
    spec: spec.optional(),
  });
}

export const configSchemas = {
  [KUBEPROOF_API_VERSION]: configDocument(KUBEPROOF_API_VERSION, kubeproofSpec),
  [CHAINSAW_CONFIG_V1ALPHA2]: configDocument(CHAINSAW_CONFIG_V1ALPHA2, chainsawV1alpha2Spec),
  [CHAINSAW_API_VERSION]: configDocument(CHAINSAW_API_VERSION, chainsawV1alpha1Spec),
} as const;

export type ParsedKubeproofConfig = z.output<(typeof configSchemas)[typeof KUBEPROOF_API_VERSION]>;
export type ParsedChainsawV1alpha2Config = z.output<(typeof configSchemas)[typeof CHAINSAW_CONFIG_V1ALPHA2]>;
export type ParsedChainsawV1alpha1Config = z.output<(typeof configSchemas)[typeof CHAINSAW_API_VERSION]>;

export function isConfigApiVersion(value: unknown): value is ConfigApiVersion {
  return typeof value === "string" && (CONFIG_API_VERSIONS as readonly string[]).includes(value);
}
