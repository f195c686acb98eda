/**
 * The parts of the CTRF JSON schema (github.com/ctrf-io/ctrf, schema/ctrf.schema.json) a report must
 * satisfy, with a validator for the small JSON Schema subset they use. Objects CTRF closes with
 * `additionalProperties: false` list every property CTRF defines, so an unknown field fails here as it
 * would in a CTRF tool; `extra` objects are open, as in CTRF.
 */

export interface Schema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  required?: string[];
  properties?: Record<string, Schema>;
  closed?: boolean;
  enum?: readonly unknown[];
  items?: Schema;
  minItems?: number;
  minLength?: number;
}

const open: Schema = { type: "object" };
const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const status: Schema = { enum: ["passed", "failed", "skipped", "pending", "other"] };
const strings: Schema = { type: "array", items: str };

/** CTRF's attachment: every field required, nothing else but `extra`. */
const attachments: Schema = {
  type: "array",
  items: {
    type: "object",
    closed: true,
    required: ["name", "contentType", "path"],
    properties: { name: str, contentType: str, path: str, extra: open },
  },
};

const attempt: Schema = {
  type: "object",
  closed: true,
  required: ["attempt", "status"],
  properties: {
    attempt: int,
    status,
    duration: int,
    message: str,
    trace: str,
    line: int,
    snippet: str,
    stdout: strings,
    stderr: strings,
    start: int,
    stop: int,
    attachments,
    extra: open,
  },
};

const test: Schema = {
  type: "object",
  closed: true,
  required: ["name", "status", "duration"],
  properties: {
    id: str,
    name: { type: "string", minLength: 1 },
    status,
    duration: int,
    start: int,
    stop: int,
    suite: { type: "array", minItems: 1, items: str },
    message: str,
    trace: str,
    snippet: str,
    ai: str,
    line: int,
    rawStatus: str,
    tags: strings,
    labels: open,
    type: str,
    filePath: str,
    retries: int,
    retryAttempts: { type: "array", items: attempt },
    flaky: { type: "boolean" },
    stdout: strings,
    stderr: strings,
    threadId: str,
    browser: str,
    device: str,
    screenshot: str,
    attachments,
    parameters: open,
    steps: {
      type: "array",
      items: {
        type: "object",
        closed: true,
        required: ["name", "status"],
        properties: { name: str, status, extra: open },
      },
    },
    insights: open,
    extra: open,
  },
};

export const ctrfSchema: Schema = {
  type: "object",
  closed: true,
  required: ["results", "reportFormat", "specVersion"],
  properties: {
    reportFormat: { enum: ["CTRF"] },
    specVersion: str,
    reportId: str,
    timestamp: str,
    generatedBy: str,
    extra: open,
    insights: open,
    baseline: open,
    results: {
      type: "object",
      closed: true,
      required: ["tool", "summary", "tests"],
      properties: {
        tool: {
          type: "object",
          closed: true,
          required: ["name"],
          properties: { name: { type: "string", minLength: 1 }, version: str, extra: open },
        },
        summary: {
          type: "object",
          closed: true,
          required: ["tests", "passed", "failed", "skipped", "pending", "other", "start", "stop"],
          properties: Object.fromEntries(
            [
              "tests",
              "passed",
              "failed",
              "skipped",
              "pending",
              "other",
              "flaky",
              "suites",
              "start",
              "stop",
              "duration",
            ]
              .map((k): [string, Schema] => [k, int])
              .concat([["extra", open]]),
          ),
        },
        tests: { type: "array", items: test },
        environment: open,
        extra: open,
      },
    },
  },
};

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** Every violation, as `path: problem`; empty when the value conforms. */
export function validate(value: unknown, schema: Schema, path = "$"): string[] {
  const errors: string[] = [];
  const actual = typeOf(value);
  if (schema.type && actual !== schema.type && !(schema.type === "number" && actual === "integer")) {
    return [`${path}: expected ${schema.type}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${path}: ${JSON.stringify(value)} not in ${schema.enum.join("|")}`);
  if (typeof value === "string" && schema.minLength !== undefined && value.length < schema.minLength) {
    errors.push(`${path}: shorter than ${schema.minLength}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.items)
      value.forEach((item, i) => errors.push(...validate(item, schema.items!, `${path}[${i}]`)));
  }
  if (actual === "object" && schema.type === "object") {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) errors.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(obj)) {
      const sub = schema.properties?.[key];
      if (sub) errors.push(...validate(v, sub, `${path}.${key}`));
      else if (schema.closed) errors.push(`${path}: unknown property ${key}`);
    }
  }
  return errors;
}
