/**
 * Writes the JSON Schemas under schema/ from the zod schemas in src/config.
 * Run after changing a schema: `node --import tsx scripts/export-schema.ts` (add `--check` in CI to
 * fail when the committed files are stale).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { configurationJsonSchema, renderJsonSchema, testJsonSchema } from "../src/editor/json-schema.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// Written the way `npm run format` would leave them, so `format:check` and `--check` agree.
async function pretty(rel: string, text: string): Promise<string> {
  const path = join(root, rel);
  const options = (await resolveConfig(path)) ?? {};
  return format(text, { ...options, filepath: path });
}

const outputs = {
  "schema/test.schema.json": await pretty("schema/test.schema.json", renderJsonSchema(testJsonSchema())),
  "schema/configuration.schema.json": await pretty(
    "schema/configuration.schema.json",
    renderJsonSchema(configurationJsonSchema()),
  ),
};

const check = process.argv.includes("--check");
let stale = 0;
for (const [rel, text] of Object.entries(outputs)) {
  const path = join(root, rel);
  if (check) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {
      // missing counts as stale
    }
    if (current !== text) {
      console.error(`${rel} is out of date; run: node --import tsx scripts/export-schema.ts`);
      stale++;
    }
    continue;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${rel} (${text.length} bytes)`);
}
if (stale > 0) process.exitCode = 1;
