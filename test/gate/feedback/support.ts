import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { cleanOutput } from "../../../src/gate/feedback/ansi.ts";
import { relativizePaths } from "../../../src/gate/feedback/paths.ts";

/** Where each fixture's project lived when its output was captured (see test/fixtures/gate/README.md). */
export const ROOTS = {
  go: "/tmp/kpfx/go/shop",
  ginkgo: "/tmp/kpfx/ginkgo/operator",
  nodeTs: "/tmp/kpfx/node/app",
  nodeJs: "/tmp/kpfx/node/js",
  jest: "/tmp/kpfx/jest/api",
  vitest: "/tmp/kpfx/vitest/web",
  pytest: "/tmp/kpfx/pytest/svc",
  make: "/tmp/kpfx/make/proj",
  kubeproof: "/home/dev/app",
  kubeproofJob: "/workspace/src/app",
} as const;

export function fixture(path: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/gate/${path}`, import.meta.url)), "utf8");
}

/** A fixture as the gate hands it to the parsers: cleaned, with paths relative to the project. */
export function prepared(path: string, ...roots: string[]): string {
  return relativizePaths(cleanOutput(fixture(path)), { roots });
}
