import { fileURLToPath } from "node:url";
import type { LoadContext } from "../../src/load/loader.ts";

/** test/fixtures/load: ids and messages in these tests are relative to it. */
export const FIXTURES = fileURLToPath(new URL("../fixtures/load/", import.meta.url)).replace(/\/$/, "");

export function fixture(rel: string): string {
  return `${FIXTURES}/${rel}`;
}

export function context(extra: Partial<LoadContext> = {}): LoadContext {
  return { rootDir: FIXTURES, cache: new Map(), ...extra };
}
