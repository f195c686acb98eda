import { createHash, randomBytes } from "node:crypto";

/** Every object a run creates carries these, so `kubeproof clean` can find what a killed run left. */
export const runLabel = "kubeproof.dev/run";
export const testLabel = "kubeproof.dev/test";

/** A run id: sortable by start time, unique, valid as a label value. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

/**
 * Test ids hold `/` and `:`, which label values cannot: a short stable hash instead. Ids come from
 * the file and the name, so the hash stays when lines move.
 */
export function testLabelValue(testId: string): string {
  return createHash("sha256").update(testId).digest("hex").slice(0, 16);
}

/** A failed attempt's artifacts folder: the test's name and id hash, then the retry. */
export function artifactsFolderName(test: { id: string; name: string }, attempt: number): string {
  return `${slug(test.name, 50)}-${testLabelValue(test.id).slice(0, 6)}${attempt > 0 ? `-retry${attempt}` : ""}`;
}

/** A DNS-1123 fragment of a test name, for namespaces and artifact folders people can recognise. */
export function slug(text: string, max = 30): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
  return s || "test";
}
