import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, parse as parsePath, resolve } from "node:path";
import type { SourceDocument } from "../model/index.ts";
import { didYouMean } from "../source/suggest.ts";
import { LoadError, LoadErrors } from "../source/diagnostics.ts";
import { displayPath, type LoadContext, type ParsedFile } from "./loader.ts";
import { errorMessage } from "../source/errors.ts";
import { parseYamlDocuments, subDocument, type YamlParseOptions } from "../source/yaml.ts";

/**
 * `file:` references, resolved at load time so that a missing file or a broken manifest stops the
 * run before anything touches a cluster (exit 2), with the position of the `file:` key.
 */

export interface FileReference {
  /** The `file:` value as written. */
  pattern: string;
  /** Directory the pattern is relative to (the test file's directory). */
  baseDir: string;
  /** Builds an error positioned at the `file:` key. */
  errorAtRef: (detail: { message: string; expected?: string; hint?: string }) => LoadError;
  /** Apply-like operations need real objects (apiVersion + kind); assertions may be bare trees. */
  manifest: boolean;
}

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;
const GLOB_META = /[*?[]/;

export function loadFileReference(
  ref: FileReference,
  ctx: LoadContext,
): { documents: SourceDocument[]; errors: LoadError[] } {
  const { pattern } = ref;
  if (URL_LIKE.test(pattern)) {
    return fail(ref, {
      message: `remote file ${JSON.stringify(pattern)} is not supported yet`,
      hint: "download it next to the test and reference the local copy",
    });
  }
  if (pattern.startsWith("(") && pattern.endsWith(")")) {
    return fail(ref, {
      message: "a file path computed by an expression is not supported yet",
      expected: "a path relative to the test file",
    });
  }
  const absPattern = isAbsolute(pattern) ? pattern : resolve(ref.baseDir, pattern);
  const files = GLOB_META.test(pattern) ? glob(absPattern) : isFile(absPattern) ? [absPattern] : [];
  if (files.length === 0) return fail(ref, notFound(pattern, absPattern, ctx));
  const { documents, errors } = readManifests(files, ctx, { checkObjects: ref.manifest });
  if (documents.length === 0 && errors.length === 0) {
    return fail(ref, {
      message: `found no resource in ${JSON.stringify(pattern)}`,
      expected: "at least one YAML document",
    });
  }
  return { documents, errors };
}

function fail(ref: FileReference, detail: { message: string; expected?: string; hint?: string }) {
  return { documents: [], errors: [ref.errorAtRef(detail)] };
}

function notFound(pattern: string, absPattern: string, ctx: LoadContext) {
  const dir = dirname(absPattern);
  const shownDir = displayPath(dir, ctx.rootDir);
  if (!isDirectory(dir)) {
    return {
      message: `file ${JSON.stringify(pattern)} not found`,
      hint: `directory ${shownDir} does not exist`,
    };
  }
  if (GLOB_META.test(pattern)) {
    return {
      message: `no file matches ${JSON.stringify(pattern)}`,
      expected: `matching files in ${shownDir}/`,
    };
  }
  const siblings = safeReaddir(dir).filter((name) => /\.ya?ml$/.test(name));
  const suggestion = didYouMean(basename(absPattern), siblings);
  return {
    message: `file ${JSON.stringify(pattern)} not found`,
    expected: `a path relative to ${shownDir}/`,
    ...(suggestion === undefined ? {} : { hint: `did you mean ${JSON.stringify(suggestion)}?` }),
  };
}

/**
 * Every document of `files`, in order, `kind: List` expanded; with `checkObjects` (the default) each
 * must be a Kubernetes object (apiVersion and kind). `parse` as for `parseReferencedFile`.
 */
export function readManifests(
  files: readonly string[],
  ctx: LoadContext,
  options: { checkObjects?: boolean; parse?: YamlParseOptions } = {},
): { documents: SourceDocument[]; errors: LoadError[] } {
  const documents: SourceDocument[] = [];
  const errors: LoadError[] = [];
  for (const file of files) {
    const parsed = parseReferencedFile(file, ctx, options.parse);
    errors.push(...parsed.errors);
    for (const doc of parsed.documents) {
      if (options.checkObjects ?? true) errors.push(...checkManifest(doc));
      documents.push(doc);
    }
  }
  return { documents, errors };
}

/** The text of a file the user named, or `LoadErrors` saying `cannot read <what>: <reason>` at it. */
export function readSourceText(absPath: string, rootDir: string, what: string): string {
  try {
    return readFileSync(absPath, "utf8");
  } catch (err) {
    const file = displayPath(absPath, rootDir);
    throw new LoadErrors([
      new LoadError({ file, line: 0, col: 0, message: `cannot read ${what}: ${errorMessage(err)}` }),
    ]);
  }
}

/**
 * Parses one referenced file, expanding `kind: List` documents into their items as Chainsaw does.
 * kuttl's files are split as kuttl splits them (`options.kuttlSeparators`).
 */
export function parseReferencedFile(
  absPath: string,
  ctx: LoadContext,
  options: YamlParseOptions = {},
): ParsedFile {
  const key = options.kuttlSeparators === true ? `kuttl:${absPath}` : absPath;
  const cached = ctx.cache?.get(key);
  if (cached !== undefined) return cached;
  const shown = displayPath(absPath, ctx.rootDir);
  let result: ParsedFile;
  try {
    const text = readFileSync(absPath, "utf8");
    const parsed = parseYamlDocuments(text, shown, options);
    result = {
      documents: parsed.documents.flatMap(expandList),
      errors: parsed.errors,
      warnings: parsed.warnings,
    };
    // Said once per file, however many tests reference it (later reads come from the cache).
    ctx.warnings?.push(...parsed.warnings);
  } catch (err) {
    const reason = errorMessage(err);
    result = {
      documents: [],
      errors: [new LoadError({ file: shown, line: 0, col: 0, message: `cannot read file: ${reason}` })],
    };
  }
  ctx.cache?.set(key, result);
  return result;
}

function expandList(doc: SourceDocument): SourceDocument[] {
  const value = doc.value;
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [doc];
  const record = value as Record<string, unknown>;
  if (typeof record.kind !== "string" || !record.kind.endsWith("List") || !Array.isArray(record.items))
    return [doc];
  return record.items.map((_item, i) => subDocument(doc, ["items", i]));
}

/** Apply-like resources must be real objects; an inline `resource:` is checked the same way. */
export function checkManifest(doc: SourceDocument, path?: string): LoadError[] {
  const value = doc.value;
  const expected = "a Kubernetes object with apiVersion and kind";
  const at = path === undefined ? {} : { path };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return [new LoadError({ ...doc.location, ...at, message: "a resource must be a mapping", expected })];
  }
  const record = value as Record<string, unknown>;
  const missing = ["apiVersion", "kind"].filter((f) => record[f] === undefined);
  const errors: LoadError[] = [];
  if (missing.length > 0) {
    errors.push(
      new LoadError({
        ...doc.location,
        ...at,
        message: `resource has no ${missing.join(" and no ")}`,
        expected,
      }),
    );
  }
  for (const field of ["apiVersion", "kind"]) {
    const v = record[field];
    if (v !== undefined && (typeof v !== "string" || v === "")) {
      errors.push(
        new LoadError({
          ...doc.locate([field]),
          ...at,
          message: `resource ${field} must be a non-empty string`,
          expected,
        }),
      );
    }
  }
  return errors;
}

/**
 * Go `filepath.Glob` semantics (what Chainsaw uses): `*`, `?` and `[...]` within one path segment,
 * no `**`, results sorted. Node 20 has no fs.glob.
 */
export function glob(absPattern: string): string[] {
  const { root } = parsePath(absPattern);
  const segments = absPattern
    .slice(root.length)
    .split(/[\\/]+/)
    .filter((s) => s !== "");
  let current = [root];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      if (!GLOB_META.test(segment)) {
        const candidate = join(dir, segment);
        if (last ? isFile(candidate) : isDirectory(candidate)) next.push(candidate);
        continue;
      }
      const matcher = segmentRegExp(segment);
      for (const name of safeReaddir(dir).sort()) {
        const candidate = join(dir, name);
        if (matcher.test(name) && (last ? isFile(candidate) : isDirectory(candidate))) next.push(candidate);
      }
    }
    current = next;
  }
  return current;
}

function segmentRegExp(segment: string): RegExp {
  let out = "";
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? "";
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "\\" && i + 1 < segment.length) out += escapeRegExp(segment[++i] ?? "");
    else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end === -1) out += "\\[";
      else {
        let body = segment.slice(i + 1, end);
        if (body.startsWith("^")) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else out += escapeRegExp(c);
  }
  return new RegExp(`^${out}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The first `bytes` of a file, for loaders to recognise their format without reading whole files;
 * undefined when it cannot be read.
 */
export function readHead(path: string, bytes: number): string | undefined {
  if (!isFile(path)) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(bytes);
    const n = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n).toString("utf8");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
