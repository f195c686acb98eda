import * as z from "zod";
import { gateEditorSchema } from "../gate/config.ts";
import { configSchemas } from "../config/config-schema.ts";
import { tryActions } from "../config/operation-schema.ts";
import { isHidden, schemaAt, unwrap } from "../source/schema-kit.ts";
import { TEST_API_VERSIONS, testSchemaFor } from "../config/test-schema.ts";

/**
 * JSON Schemas for editor completion and validation (yaml-language-server, VS Code), generated
 * from the same zod schemas the loader validates with, so the two cannot drift apart.
 */

export const TEST_SCHEMA_ID = "https://kubeproof.dev/schema/test.schema.json";
export const CONFIGURATION_SCHEMA_ID = "https://kubeproof.dev/schema/configuration.schema.json";

type JsonSchema = Record<string, unknown>;

const OPTIONS: z.core.ToJSONSchemaParams = {
  // Describe what users write (duration strings), not what the loader turns it into (milliseconds).
  io: "input",
  // Shared parts get names (see DEFINITIONS); everything else is inlined so editors show it directly.
  reused: "inline",
  unrepresentable: "any",
  // Fields kept in the zod shapes only to explain why they are refused would be offered by editors.
  override: ({ zodSchema, jsonSchema }) => {
    if (!(zodSchema instanceof z.ZodObject)) return;
    const shape = zodSchema.shape as Record<string, z.ZodType>;
    const properties = jsonSchema.properties;
    if (properties === undefined) return;
    for (const [key, field] of Object.entries(shape)) {
      if (isHidden(field)) delete properties[key];
    }
  },
};

const STEP = ["spec", "steps", 0];
const OPERATION = [...STEP, "try", 0];

/** Parts reused across the tree, emitted once under `$defs` with readable names. */
const DEFINITIONS: readonly (readonly [readonly (string | number)[], string])[] = [
  [["spec", "timeouts"], "Timeouts"],
  [["spec", "bindings", 0], "Binding"],
  [STEP, "Step"],
  [OPERATION, "Operation"],
  [[...STEP, "catch", 0], "CatchOperation"],
  [[...OPERATION, "apply", "expect", 0], "Expectation"],
  [[...OPERATION, "apply", "outputs", 0], "Output"],
  ...tryActions("kubeproof").map((a) => [[...OPERATION, a], a.charAt(0).toUpperCase() + a.slice(1)] as const),
];

/**
 * Gives the shared schema instances an `id`, which makes zod emit them as named `$defs`. Done here,
 * at export time, so the validation schemas carry no JSON-Schema-only metadata.
 */
function nameDefinitions(): void {
  const root = testSchemaFor("kubeproof");
  for (const [path, id] of DEFINITIONS) {
    const found = schemaAt(root, path);
    if (found === undefined) continue;
    const target = unwrap(found);
    z.globalRegistry.add(target, { ...z.globalRegistry.get(target), id });
  }
}

/** One schema for test files of both dialects: the kubeproof one, with either apiVersion. */
export function testJsonSchema(): JsonSchema {
  nameDefinitions();
  const schema = z.toJSONSchema(testSchemaFor("kubeproof"), OPTIONS) as JsonSchema;
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (properties !== undefined) {
    properties.apiVersion = {
      type: "string",
      enum: [...TEST_API_VERSIONS],
      description:
        "chainsaw.kyverno.io/v1alpha1 (Chainsaw) or kubeproof.dev/v1alpha1 (adds listMatch, mode).",
    };
  }
  return { ...withId(schema, TEST_SCHEMA_ID, "kubeproof / Chainsaw Test") };
}

/** The configuration file in any of its accepted apiVersions. */
export function configurationJsonSchema(): JsonSchema {
  nameDefinitions();
  const union = z.union([
    configSchemas["kubeproof.dev/v1alpha1"],
    configSchemas["chainsaw.kyverno.io/v1alpha2"],
    configSchemas["chainsaw.kyverno.io/v1alpha1"],
  ]);
  const schema = z.toJSONSchema(union, OPTIONS) as JsonSchema;
  addGateSchema(schema);
  return withId(
    schema,
    CONFIGURATION_SCHEMA_ID,
    "kubeproof Configuration (kubeproof.yaml or .chainsaw.yaml)",
  );
}

/**
 * The configuration validates `gate` separately (the gate module owns its schema, with its own
 * cross-field checks); editors still get completion for it under kubeproof's own apiVersion.
 */
function addGateSchema(schema: JsonSchema): void {
  const { $schema: _ignored, ...gate } = z.toJSONSchema(gateEditorSchema, OPTIONS) as JsonSchema;
  const variants = (schema.anyOf ?? []) as JsonSchema[];
  for (const variant of variants) {
    const spec = (variant.properties as Record<string, JsonSchema> | undefined)?.spec;
    const properties = spec?.properties as Record<string, JsonSchema> | undefined;
    if (properties && "gate" in properties)
      properties.gate = { description: properties.gate?.description, ...gate };
  }
}

function withId(schema: JsonSchema, id: string, title: string): JsonSchema {
  const { $schema, ...rest } = schema;
  return { $schema, $id: id, title, ...rest };
}

/** Stable text: key order is the schema's, two-space indent, final newline. */
export function renderJsonSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
