import { join } from "node:path";
import type { SourceDocument } from "../model/index.ts";
import { errorAt, type LoadError } from "../source/diagnostics.ts";
import { issuesToLoadErrors } from "../source/issues.ts";
import { isFile, parseReferencedFile, readHead } from "./files.ts";
import type { ParsedLabelSelector } from "./kuttl-labels.ts";
import { KUTTL_GROUP, testCase, type ParsedTestCase } from "./kuttl-schema.ts";
import type { LoadContext } from "./loader.ts";

/**
 * kuttl's `test-case.yaml` (newer kuttl, `internal/harness`): a `kind: TestCase` for the whole test
 * case, whose `testRunSelector` is matched against the run's labels (`--test-run-labels`). A test case
 * whose selector does not match is not run. Its presence also makes a folder a test case.
 * TestFile's `testRunSelector` matches the same way, for one file.
 */

export const TEST_CASE_FILE = "test-case.yaml";

const TEST_CASE_KIND = /^kind:[ \t]*["']?TestCase["']?[ \t]*(?:#.*)?$/m;
const KUTTL_API = /^apiVersion:[ \t]*["']?kuttl\.dev\//m;

/** kuttl reads its files with its own splitter. */
const KUTTL_FILES = { kuttlSeparators: true } as const;

export interface ReadTestCase {
  file: string;
  doc: SourceDocument;
  spec: ParsedTestCase;
}

/** Whether `dir` holds a `test-case.yaml` with a kuttl TestCase in it (a quick look, not a parse). */
export function hasTestCaseFile(dir: string): boolean {
  const file = join(dir, TEST_CASE_FILE);
  if (!isFile(file)) return false;
  const head = readHead(file, 64 * 1024);
  return head !== undefined && TEST_CASE_KIND.test(head) && KUTTL_API.test(head);
}

/**
 * The TestCase of `dir`'s `test-case.yaml`, validated (unknown fields are errors, with their
 * position). Undefined when there is none, or when the file holds no kuttl TestCase (then it is not
 * kuttl's, and is warned about as any other file nothing runs).
 */
export function readTestCase(dir: string, ctx: LoadContext, errors: LoadError[]): ReadTestCase | undefined {
  if (!hasTestCaseFile(dir)) return undefined;
  const file = join(dir, TEST_CASE_FILE);
  const parsed = parseReferencedFile(file, ctx, KUTTL_FILES);
  errors.push(...parsed.errors);
  if (parsed.errors.length > 0) return undefined;
  let found: ReadTestCase | undefined;
  for (const doc of parsed.documents) {
    const value = doc.value as { apiVersion?: unknown; kind?: unknown } | null;
    const isCase =
      value !== null &&
      typeof value === "object" &&
      value.kind === "TestCase" &&
      typeof value.apiVersion === "string" &&
      value.apiVersion.startsWith(`${KUTTL_GROUP}/`);
    if (!isCase || found !== undefined) {
      errors.push(
        errorAt(doc, value !== null && typeof value === "object" && "kind" in value ? ["kind"] : [], {
          message: isCase ? "more than one TestCase in test-case.yaml" : "test-case.yaml holds one TestCase",
          expected: "apiVersion: kuttl.dev/v1beta1, kind: TestCase",
          hint: isCase ? undefined : "put objects to apply in a step file (00-<name>.yaml)",
          path: [],
        }),
      );
      continue;
    }
    const result = testCase.safeParse(doc.value);
    if (!result.success) errors.push(...issuesToLoadErrors(result.error.issues, doc, testCase));
    else found = { file, doc, spec: result.data };
  }
  return found;
}

/**
 * Whether a TestCase's or TestFile's `testRunSelector` selects a run with these labels, as
 * Kubernetes' `LabelSelectorAsSelector(...).Matches(labels)`: every `matchLabels` pair and every
 * requirement must hold. An absent or empty selector selects every run.
 */
export function selectorMatches(
  selector: ParsedLabelSelector | null | undefined,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (selector === undefined || selector === null) return true;
  const has = (key: string): boolean => Object.hasOwn(labels, key);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((r) => {
    const values = r.values ?? [];
    switch (r.operator) {
      case "In":
        return has(r.key) && values.includes(labels[r.key] ?? "");
      case "NotIn":
        return !has(r.key) || !values.includes(labels[r.key] ?? "");
      case "Exists":
        return has(r.key);
      case "DoesNotExist":
        return !has(r.key);
    }
    return false;
  });
}

/** How a selector reads in a skip reason: `key=value,tier in (a,b)`, as Kubernetes prints selectors. */
export function selectorText(selector: ParsedLabelSelector): string {
  const parts = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const values = `(${(r.values ?? []).join(",")})`;
    if (r.operator === "In") parts.push(`${r.key} in ${values}`);
    else if (r.operator === "NotIn") parts.push(`${r.key} notin ${values}`);
    else if (r.operator === "Exists") parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.join(",");
}
